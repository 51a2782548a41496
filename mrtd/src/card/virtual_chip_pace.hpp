// The virtual chip's PACE side, built from its image (kept apart from virtual_chip.cpp).
#pragma once

#include <optional>

#include "portti/mrtd/card/chip_folder.hpp"
#include "portti/mrtd/card/virtual_chip.hpp"
#include "portti/mrtd/protocol/pace.hpp"

namespace portti::mrtd {

/// PACE as the chip offers it: the PACEInfos of its EF.CardAccess, the MRZ (mrz_information) and
/// CAN (can) passwords, and for PACE-CAM the private key chip_auth_key names (an EC key on the PACE
/// curve). nullopt when the chip has no EF.CardAccess, or one that is not a SecurityInfos SET, or
/// one that offers no PACE. Throws Error{File} for an unreadable key.
std::optional<PaceChip> makePaceChip(const ChipImage& image, const ChipSettings& settings);

}  // namespace portti::mrtd
