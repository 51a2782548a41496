#include "portti/mrtd/pki/signed_data.hpp"

#include "ossl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::pki {

namespace {
struct Parser {
  std::string step;
  [[noreturn]] void fail(const std::string& m) const { throw Error(ErrorArea::Pki, step, m); }
  Tlv expect(TlvReader& r, std::uint32_t tag, const char* what) const {
    if (r.atEnd()) fail(std::string("missing ") + what);
    Tlv t = r.next();
    if (t.tag != tag) fail(std::string("unexpected tag in ") + what);
    return t;
  }
  // OCTET STRING, primitive or (BER) constructed of primitive segments.
  Bytes octets(const Tlv& t, const char* what) const {
    if (t.tag == 0x04) return Bytes(t.value.begin(), t.value.end());
    if (t.tag != 0x24) fail(std::string(what) + " is not an OCTET STRING");
    Bytes out;
    for (const Tlv& s : decodeAll(t.value)) {
      if (s.tag != 0x04) fail(std::string("bad segment in ") + what);
      out.insert(out.end(), s.value.begin(), s.value.end());
    }
    return out;
  }
  int smallInt(const Tlv& t, const char* what) const {
    if (t.tag != 0x02 || t.value.empty() || t.value.size() > 2) fail(std::string("bad ") + what);
    int v = 0;
    for (auto b : t.value) v = (v << 8) | b;
    return v;
  }

  SignerInfo signerInfo(const Tlv& si) const {
    if (si.tag != 0x30) fail("SignerInfo is not a SEQUENCE");
    SignerInfo out;
    TlvReader r(si.value);
    out.version = smallInt(expect(r, 0x02, "SignerInfo version"), "SignerInfo version");
    if (r.atEnd()) fail("missing SignerInfo sid");
    Tlv sid = r.next();
    if (sid.tag == 0x30) {
      TlvReader ir(sid.value);
      Tlv issuer = expect(ir, 0x30, "sid issuer");
      Tlv serial = expect(ir, 0x02, "sid serialNumber");
      out.issuer.assign(issuer.whole.begin(), issuer.whole.end());
      out.serialNumber.assign(serial.value.begin(), serial.value.end());
    } else if (sid.tag == 0x80) {
      out.subjectKeyIdentifier.assign(sid.value.begin(), sid.value.end());
    } else {
      fail("unknown SignerIdentifier");
    }
    Tlv dig = expect(r, 0x30, "digestAlgorithm");
    out.digestAlgorithm.assign(dig.whole.begin(), dig.whole.end());
    if (r.atEnd()) fail("missing signatureAlgorithm");
    Tlv t = r.next();
    if (t.tag == 0xA0) {
      // The signature covers the DER of the attributes with the EXPLICIT SET OF tag (RFC 5652 5.4).
      out.signedAttributes = encodeTlv(0x31, t.value);
      for (const Tlv& attr : decodeAll(t.value)) {
        if (attr.tag != 0x30) fail("attribute is not a SEQUENCE");
        TlvReader ar(attr.value);
        std::string type = oidToText(expect(ar, 0x06, "attribute type").value);
        Tlv values = expect(ar, 0x31, "attribute values");
        auto vs = decodeAll(values.value);
        if (type == oid::kContentTypeAttr || type == oid::kMessageDigestAttr) {
          if (vs.size() != 1) fail("attribute " + type + " must have exactly one value");
          if (type == oid::kContentTypeAttr) {
            if (out.contentTypeAttribute) fail("duplicate contentType attribute");
            if (vs[0].tag != 0x06) fail("contentType attribute is not an OID");
            out.contentTypeAttribute = oidToText(vs[0].value);
          } else {
            if (out.messageDigestAttribute) fail("duplicate messageDigest attribute");
            if (vs[0].tag != 0x04) fail("messageDigest attribute is not an OCTET STRING");
            out.messageDigestAttribute = Bytes(vs[0].value.begin(), vs[0].value.end());
          }
        }
      }
      if (r.atEnd()) fail("missing signatureAlgorithm");
      t = r.next();
    }
    if (t.tag != 0x30) fail("bad signatureAlgorithm");
    out.signatureAlgorithm.assign(t.whole.begin(), t.whole.end());
    if (r.atEnd()) fail("missing signature");
    out.signature = octets(r.next(), "signature");
    return out;
  }
};
}  // namespace

SignedData parseSignedData(ByteView contentInfo, const std::string& step) {
  Parser p{step};
  Tlv ci = decodeFirst(contentInfo);
  if (ci.tag != 0x30) p.fail("ContentInfo is not a SEQUENCE");
  TlvReader cr(ci.value);
  if (oidToText(p.expect(cr, 0x06, "contentType").value) != oid::kSignedData)
    p.fail("ContentInfo does not hold SignedData");
  Tlv explicitContent = p.expect(cr, 0xA0, "content");
  Tlv sd = decodeOne(explicitContent.value);
  if (sd.tag != 0x30) p.fail("SignedData is not a SEQUENCE");
  TlvReader r(sd.value);
  p.smallInt(p.expect(r, 0x02, "SignedData version"), "SignedData version");
  p.expect(r, 0x31, "digestAlgorithms");
  Tlv eci = p.expect(r, 0x30, "encapContentInfo");
  SignedData out;
  {
    TlvReader er(eci.value);
    out.eContentType = oidToText(p.expect(er, 0x06, "eContentType").value);
    Tlv ec = p.expect(er, 0xA0, "eContent");
    out.eContent = p.octets(decodeOne(ec.value), "eContent");
  }
  if (r.atEnd()) p.fail("missing signerInfos");
  Tlv t = r.next();
  if (t.tag == 0xA0) {
    for (const Tlv& c : decodeAll(t.value))
      if (c.tag == 0x30) out.certificates.emplace_back(c.whole.begin(), c.whole.end());
    if (r.atEnd()) p.fail("missing signerInfos");
    t = r.next();
  }
  if (t.tag == 0xA1) {  // crls: not used for PA
    if (r.atEnd()) p.fail("missing signerInfos");
    t = r.next();
  }
  if (t.tag != 0x31) p.fail("bad signerInfos");
  for (const Tlv& si : decodeAll(t.value)) out.signerInfos.push_back(p.signerInfo(si));
  if (out.signerInfos.empty()) p.fail("SignedData has no SignerInfo");
  return out;
}

}  // namespace portti::mrtd::pki
