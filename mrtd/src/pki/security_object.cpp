#include "portti/mrtd/pki/security_object.hpp"

#include "ossl.hpp"
#include "portti/mrtd/error.hpp"
#include "portti/mrtd/tlv.hpp"

namespace portti::mrtd::pki {

namespace {
const char* kStep = "PARSE EF.SOD";

[[noreturn]] void fail(const std::string& m) { throw Error(ErrorArea::Lds, kStep, m); }

int smallInt(const Tlv& t, const char* what) {
  if (t.tag != 0x02 || t.value.empty() || t.value.size() > 2 || (t.value[0] & 0x80))
    fail(std::string("bad ") + what);
  int v = 0;
  for (auto b : t.value) v = (v << 8) | b;
  return v;
}

std::string printable(const Tlv& t) {
  if (t.tag != 0x13) fail("LDSVersionInfo field is not a PrintableString");
  return std::string(t.value.begin(), t.value.end());
}

// LDSSecurityObject (Doc 9303-10 4.6.2.2)
void parseLdsSecurityObject(ByteView der, SecurityObject& so) {
  Tlv seq = decodeOne(der);
  if (seq.tag != 0x30) fail("LDSSecurityObject is not a SEQUENCE");
  TlvReader r(seq.value);
  if (r.atEnd()) fail("LDSSecurityObject is empty");
  so.version = smallInt(r.next(), "LDSSecurityObject version");
  if (so.version != 0 && so.version != 1) fail("unknown LDSSecurityObject version " + std::to_string(so.version));
  if (r.atEnd()) fail("missing hashAlgorithm");
  Tlv alg = r.next();
  if (alg.tag != 0x30) fail("bad hashAlgorithm");
  Tlv algOid = decodeFirst(alg.value);
  if (algOid.tag != 0x06) fail("bad hashAlgorithm");
  auto name = digestNameOfOid(oidToText(algOid.value));
  if (!name) fail("unsupported hashAlgorithm " + oidToText(algOid.value));
  so.hashAlgorithm = *name;
  if (r.atEnd()) fail("missing dataGroupHashValues");
  Tlv values = r.next();
  if (values.tag != 0x30) fail("bad dataGroupHashValues");
  for (const Tlv& h : decodeAll(values.value)) {
    if (h.tag != 0x30) fail("DataGroupHash is not a SEQUENCE");
    TlvReader hr(h.value);
    if (hr.atEnd()) fail("empty DataGroupHash");
    int number = smallInt(hr.next(), "dataGroupNumber");
    if (number < 1 || number > 16) fail("dataGroupNumber " + std::to_string(number) + " out of range 1..16");
    if (hr.atEnd()) fail("DataGroupHash without value");
    Tlv value = hr.next();
    if (value.tag != 0x04) fail("dataGroupHashValue is not an OCTET STRING");
    if (!so.dataGroupHashes.emplace(number, Bytes(value.value.begin(), value.value.end())).second)
      fail("DG" + std::to_string(number) + " listed twice");
  }
  if (!r.atEnd()) {
    Tlv info = r.next();
    if (info.tag != 0x30) fail("bad LDSVersionInfo");
    TlvReader ir(info.value);
    if (ir.atEnd()) fail("bad LDSVersionInfo");
    so.ldsVersion = printable(ir.next());
    if (ir.atEnd()) fail("bad LDSVersionInfo");
    so.unicodeVersion = printable(ir.next());
  }
  if (!r.atEnd()) fail("trailing data in LDSSecurityObject");
}
}  // namespace

SecurityObject parseSod(ByteView efSod) {
  ByteView content = efSod;
  Tlv outer = decodeFirst(efSod);
  if (outer.tag == 0x77) content = outer.value;
  else if (outer.tag != 0x30) fail("EF.SOD does not start with tag 77");
  SecurityObject so;
  so.signedData = parseSignedData(content, kStep);
  const std::string& type = so.signedData.eContentType;
  if (type == oid::kData) {
    so.eContentTypeIsIdData = true;  // CN: id-data with an LDSSecurityObject inside (CLARIFICATIONS 4)
  } else if (type != oid::kLdsSecurityObject) {
    throw Error(ErrorArea::Pki, kStep, "wrong content type " + type + " (expected 2.23.136.1.1.1)");
  }
  try {
    parseLdsSecurityObject(so.signedData.eContent, so);
  } catch (const Error& e) {
    if (so.eContentTypeIsIdData)
      throw Error(ErrorArea::Pki, kStep, "wrong content type: id-data without an LDSSecurityObject (" + e.detail() + ")");
    throw;
  }
  return so;
}

}  // namespace portti::mrtd::pki
