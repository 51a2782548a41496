// The facts the appliance establishes for the rules. Adding a fact here (and setting it in the
// transaction) is what makes it usable in a rule file; docs/rules.md lists the same table.
#include "portti/firmware/facts.hpp"

namespace portti::firmware {

const FactCatalog& FactCatalog::standard() {
  static const FactCatalog catalog = [] {
    FactCatalog c;
    using K = FactKind;
    c.add("kiosk.mode", K::String, "egate | service-point");
    c.add("doc.type", K::String, "document code from the MRZ, e.g. P, ID");
    c.add("doc.issuing_state", K::String, "issuing state, ICAO three-letter code, e.g. FIN");
    c.add("doc.expiry", K::Date, "date of expiry from the chip's DG1");
    c.add("doc.mrz_matches_chip", K::Bool, "the scanned or entered MRZ equals the chip's DG1");
    c.add("holder.age", K::Number, "age in whole years on the transaction date (from DG1)");
    c.add("holder.nationality", K::String, "nationality, ICAO three-letter code");
    c.add("chip.access", K::String, "pace | bac: how the chip was opened");
    c.add("pa.status", K::String, "Passive Authentication: valid | invalid | indeterminate");
    c.add("pa.revocation", K::String, "DSC revocation: good | revoked | not checked");
    c.add("chip.auth", K::String, "Chip Authentication: passed | failed | not done");
    c.add("chip.aa", K::String, "Active Authentication: passed | failed | not done");
    c.add("face.score", K::Number, "similarity of the live face to the chip portrait, 0..1");
    c.add("face.quality", K::Number,
          "capture quality of the chosen live frame, 0..1; >= 0.5 when every check on the face passed");
    c.add("face.count", K::Number, "faces in the chosen live frame (more than 1: someone else is there)");
    c.add("mad.dmad", K::Number, "differential morph score (chip vs live), 0..1, higher = morph");
    c.add("mad.smad", K::Number, "single-image morph score of the chip portrait, 0..1");
    return c;
  }();
  return catalog;
}

}  // namespace portti::firmware
