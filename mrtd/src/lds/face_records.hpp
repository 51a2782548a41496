// Internal: the two biometric data block formats of DG2, and the checks both share.
#pragma once

#include <vector>

#include "portti/mrtd/lds/dg2.hpp"

namespace portti::mrtd::detail {

// Both return every face of the block, with the block's own deviations (lengths, counts) copied
// into each face; both throw Error{Lds} or Error{Tlv} when the block holds no usable face.

/// ISO/IEC 19794-5:2005 facial record data ('FAC\0', version '010\0').
std::vector<FaceImage> parseIso19794_5(ByteView block);

/// ISO/IEC 39794-5 face image data block (ICAO application profile): its 2D representations.
std::vector<FaceImage> parseIso39794_5(ByteView block);

/// Sets `face.format` from the bytes and records a mismatch with the header, an unrecognised or
/// an empty image.
void checkImageBytes(FaceImage& face);

}  // namespace portti::mrtd::detail
