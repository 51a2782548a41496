// Symmetric primitives against published values: ICAO 9303-11 Appendix D (BAC worked example),
// NIST SP 800-38B Appendix D (AES-CMAC), FIPS-197 / SP 800-38A (AES), and gmrtd's KDF cases.
#include <gtest/gtest.h>

#include "portti/mrtd/error.hpp"
#include "portti/mrtd/sm/crypto.hpp"

using namespace portti::mrtd;
using namespace portti::mrtd::crypto;

namespace {
const Bytes kSeed = fromHex("239AB9CB282DAF66231DC5A4DF6BFBAE");  // 9303-11 D.2
const Bytes kEnc = fromHex("AB94FDECF2674FDFB9B391F85D7F76F2");
const Bytes kMac = fromHex("7962D9ECE03D1ACD4C76089DCE131543");
}  // namespace

TEST(Padding, Method2AddsAtLeastOneByte) {
  EXPECT_EQ(toHex(pad(fromHex(""), 8)), "8000000000000000");
  EXPECT_EQ(toHex(pad(fromHex("011E"), 8)), "011E800000000000");
  EXPECT_EQ(toHex(pad(fromHex("0102030405060708"), 8)), "01020304050607088000000000000000");
  EXPECT_EQ(pad(fromHex("01"), 16).size(), 16u);
}

TEST(Padding, RemovesOnlyWellFormedPadding) {
  EXPECT_EQ(toHex(*unpad(fromHex("011E800000000000"), 8)), "011E");
  EXPECT_EQ(toHex(*unpad(fromHex("8000000000000000"), 8)), "");
  EXPECT_EQ(toHex(*unpad(fromHex("0102030405060780"), 8)), "01020304050607");
  struct Case {
    const char* hex;
    std::size_t block;
  };
  for (const Case& c : {Case{"", 8}, Case{"0000000000000000", 8}, Case{"011E8000000000", 8},
                        Case{"011E800000000001", 8}, Case{"80000000000000000000000000000000", 8},
                        Case{"0102030405060708", 8}, Case{"80", 0}}) {
    EXPECT_FALSE(unpad(fromHex(c.hex), c.block).has_value()) << c.hex;
  }
}

TEST(DesParity, AdjustsEveryByteToOddParity) {
  EXPECT_EQ(toHex(adjustDesParity(fromHex("0001FEFF7E80"))), "0101FEFE7F80");
  // 9303-11 D.2: K_enc is the first 16 bytes of SHA-1(K_seed || 00000001), parity adjusted.
  Bytes raw = sha1(concat({kSeed, fromHex("00000001")}));
  EXPECT_EQ(toHex(adjustDesParity(ByteView(raw).first(16))), toHex(kEnc));
}

TEST(Digest, Sha1OfTheMrzInformation) {
  const std::string mrz = "L898902C<369080619406236";
  Bytes text(mrz.begin(), mrz.end());
  EXPECT_EQ(toHex(sha1(text)), "239AB9CB282DAF66231DC5A4DF6BFBAEDF477565");
  EXPECT_EQ(toHex(sha256(fromHex(""))), "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
}

TEST(Kdf, BacKeysOfAppendixD) {
  EXPECT_EQ(toHex(deriveKey(kSeed, KeyAlgorithm::Des3, KdfCounter::Enc).view()), toHex(kEnc));
  EXPECT_EQ(toHex(deriveKey(kSeed, KeyAlgorithm::Des3, KdfCounter::Mac).view()), toHex(kMac));
  // D.3 session keys from KS_seed.
  const Bytes ksSeed = fromHex("0036D272F5C350ACAC50C3F572D23600");
  EXPECT_EQ(toHex(deriveKey(ksSeed, KeyAlgorithm::Des3, KdfCounter::Enc).view()),
            "979EC13B1CBFE9DCD01AB0FED307EAE5");
  EXPECT_EQ(toHex(deriveKey(ksSeed, KeyAlgorithm::Des3, KdfCounter::Mac).view()),
            "F1CB1F1FB5ADF208806B89DC579DC1F8");
}

TEST(Kdf, AesKeysOfGmrtdAndAppendixG) {
  // 9303-11 G.1 (PACE ECDH-GM, AES-128): shared secret -> KSenc, KSmac.
  const Bytes secret = fromHex("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925");
  EXPECT_EQ(toHex(deriveKey(secret, KeyAlgorithm::Aes128, KdfCounter::Enc).view()),
            "F5F0E35C0D7161EE6724EE513A0D9A7F");
  EXPECT_EQ(toHex(deriveKey(secret, KeyAlgorithm::Aes128, KdfCounter::Mac).view()),
            "FE251C7858B356B24514B3BD5F4297D1");
  // PACE password keys (counter 3): SHA-1 for AES-128, SHA-256 for AES-192/256.
  EXPECT_EQ(toHex(deriveKey(fromHex("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD"), KeyAlgorithm::Aes128,
                            KdfCounter::Pace)
                      .view()),
            "89DED1B26624EC1E634C1989302849DD");
  EXPECT_EQ(toHex(deriveKey(fromHex("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD12345678"),
                            KeyAlgorithm::Aes192, KdfCounter::Pace)
                      .view()),
            "4487BB60D75E55928AB2406733D060BB600C7FA4AEEAB92B");
  EXPECT_EQ(toHex(deriveKey(fromHex("7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD12345678ABCDEF1234567890"),
                            KeyAlgorithm::Aes256, KdfCounter::Pace)
                      .view()),
            "AC92515EDD0F4714CBB46C683CC1A66DEBB68B3CC34F29904DB757AC88988D31");
}

TEST(Des3, BacCryptogramsOfAppendixD) {
  // D.3: E.IFD = 3DES-CBC(K_enc, S, IV 0); R = decryption of E.IC.
  const Bytes s = fromHex("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
  const Bytes eIfd = fromHex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2");
  EXPECT_EQ(toHex(des3CbcEncrypt(kEnc, s)), toHex(eIfd));
  EXPECT_EQ(toHex(des3CbcDecrypt(kEnc, eIfd)), toHex(s));
  EXPECT_EQ(toHex(des3CbcDecrypt(kEnc, fromHex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"))),
            "4608F91988702212781723860C06C2260B4F80323EB3191CB04970CB4052790B");
}

TEST(Des3, RefusesBadLengths) {
  EXPECT_THROW(des3CbcEncrypt(kEnc, fromHex("01020304")), Error);
  EXPECT_THROW(des3CbcEncrypt(fromHex("0102030405060708"), Bytes(8, 0)), Error);
  EXPECT_THROW(des3CbcEncrypt(kEnc, Bytes(8, 0), Bytes(4, 0)), Error);
  try {
    des3CbcDecrypt(Bytes(17, 1), Bytes(8, 0));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.area(), ErrorArea::Crypto);
  }
}

TEST(RetailMac, MacsOfAppendixD) {
  // D.3: M.IFD over E.IFD, M.IC over E.IC (both padded with method 2 inside).
  EXPECT_EQ(toHex(retailMac(kMac, fromHex("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2"))),
            "5F1448EEA8AD90A7");
  EXPECT_EQ(toHex(retailMac(kMac, fromHex("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F"))),
            "2F2D235D074D7449");
  // D.4: MAC of the protected SELECT EF.COM: SSC || padded header || DO'87' (one block + pad).
  const Bytes ksMac = fromHex("F1CB1F1FB5ADF208806B89DC579DC1F8");
  EXPECT_EQ(toHex(retailMac(ksMac, fromHex("887022120C06C227" "0CA4020C80000000" "8709016375432908C044F6"))),
            "BF8B92D635FF24F8");
  EXPECT_THROW(retailMac(fromHex("0102030405060708"), kSeed), Error);
}

TEST(Aes, KnownAnswers) {
  // FIPS-197 C.1 and SP 800-38A F.2.1 (first block).
  EXPECT_EQ(toHex(aesEcbEncrypt(fromHex("000102030405060708090A0B0C0D0E0F"), fromHex("00112233445566778899AABBCCDDEEFF"))),
            "69C4E0D86A7B0430D8CDB78070B4C55A");
  EXPECT_EQ(toHex(aesEcbDecrypt(fromHex("000102030405060708090A0B0C0D0E0F"), fromHex("69C4E0D86A7B0430D8CDB78070B4C55A"))),
            "00112233445566778899AABBCCDDEEFF");
  const Bytes key = fromHex("2B7E151628AED2A6ABF7158809CF4F3C");
  const Bytes iv = fromHex("000102030405060708090A0B0C0D0E0F");
  EXPECT_EQ(toHex(aesCbcEncrypt(key, fromHex("6BC1BEE22E409F96E93D7E117393172A"), iv)), "7649ABAC8119B246CEE98E9B12E9197D");
  EXPECT_EQ(toHex(aesCbcDecrypt(key, fromHex("7649ABAC8119B246CEE98E9B12E9197D"), iv)), "6BC1BEE22E409F96E93D7E117393172A");
  // gmrtd TestDecryptNonce (9303-11 G.1): the PACE nonce is AES-ECB decrypted with K_pi.
  EXPECT_EQ(toHex(aesEcbDecrypt(fromHex("89DED1B26624EC1E634C1989302849DD"), fromHex("95A3A016522EE98D01E76CB6B98B42C3"))),
            "3F00C4D39D153F2B2A214A078D899B22");
  EXPECT_THROW(aesEcbEncrypt(Bytes(15, 0), Bytes(16, 0)), Error);
  EXPECT_THROW(aesCbcEncrypt(key, Bytes(15, 0)), Error);
}

TEST(Cmac, NistSp800_38bAppendixD) {
  const std::string msg =
      "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EF"
      "F69F2445DF4F9B17AD2B417BE66C3710";
  struct Case {
    const char* key;
    std::size_t messageBytes;
    const char* mac;
  };
  const Case cases[] = {
      {"2B7E151628AED2A6ABF7158809CF4F3C", 0, "BB1D6929E95937287FA37D129B756746"},
      {"2B7E151628AED2A6ABF7158809CF4F3C", 16, "070A16B46B4D4144F79BDD9DD04A287C"},
      {"2B7E151628AED2A6ABF7158809CF4F3C", 40, "DFA66747DE9AE63030CA32611497C827"},
      {"2B7E151628AED2A6ABF7158809CF4F3C", 64, "51F0BEBF7E3B9D92FC49741779363CFE"},
      {"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 0, "D17DDF46ADAACDE531CAC483DE7A9367"},
      {"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 16, "9E99A7BF31E710900662F65E617C5184"},
      {"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 40, "8A1DE5BE2EB31AAD089A82E6EE908B0E"},
      {"8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 64, "A1D5DF0EED790F794D77589659F39A11"},
      {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 0, "028962F61B7BF89EFC6B551F4667D983"},
      {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 16, "28A7023F452E8F82BD4BF28D8C37C35C"},
      {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 40, "AAF3D8F1DE5640C232F5B169B9C911E6"},
      {"603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 64, "E1992190549F6ED5696A2C056C315410"},
  };
  for (const Case& c : cases) {
    Bytes message = fromHex(msg);
    message.resize(c.messageBytes);
    EXPECT_EQ(toHex(aesCmac(fromHex(c.key), message)), c.mac) << c.key << " / " << c.messageBytes;
  }
  // Truncated to 8 bytes as secure messaging uses it (vector file: 070A16B46B4D4144).
  EXPECT_EQ(toHex(ByteView(aesCmac(fromHex(cases[1].key), fromHex(msg.substr(0, 32)))).first(8)), "070A16B46B4D4144");
  EXPECT_THROW(aesCmac(Bytes(20, 0), Bytes(16, 0)), Error);
}

TEST(Random, GivesFreshBytes) {
  SecretBytes a = randomBytes(16);
  SecretBytes b = randomBytes(16);
  EXPECT_EQ(a.size(), 16u);
  EXPECT_NE(toHex(a.view()), toHex(b.view()));
  EXPECT_TRUE(randomBytes(0).empty());
}

TEST(ConstantTime, ComparesContentAndLength) {
  EXPECT_TRUE(equalConstantTime(fromHex("0102"), fromHex("0102")));
  EXPECT_FALSE(equalConstantTime(fromHex("0102"), fromHex("0103")));
  EXPECT_FALSE(equalConstantTime(fromHex("0102"), fromHex("010203")));
  EXPECT_TRUE(equalConstantTime(fromHex(""), fromHex("")));
}
