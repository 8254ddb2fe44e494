// TCX and GPX validation against the official XSDs in schemas/, with
// libxml2, offline: schemas are loaded from a local folder, every
// http://www.garmin.com/xmlschemas/... or http://www.topografix.com/...
// location is mapped to the local copy, and any other network or entity
// load is refused (XML_PARSE_NONET plus a refusing entity loader).
#ifndef ULTRASTRENGTH_CONVERTERS_XML_XML_VALIDATE_HPP
#define ULTRASTRENGTH_CONVERTERS_XML_XML_VALIDATE_HPP

#include "converters/validate.hpp"

#include <cstdint>
#include <span>
#include <string>

namespace ultrastrength {

/// Validates the TCX or GPX file at `path` against the XSDs in `schemas_dir`
/// (TCX: TrainingCenterDatabasev2 + ActivityExtensionv2; GPX 1.1: gpx11 +
/// TrackPointExtension v1/v2; GPX 1.0: gpx10), streaming, so memory does not
/// grow with the file. Throws std::runtime_error if a needed schema is missing
/// or does not load.
ValidationReport validate_tcx_gpx(const std::string& path, std::span<const std::uint8_t> head,
                                  const std::string& schemas_dir);

} // namespace ultrastrength

#endif
