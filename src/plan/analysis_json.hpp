// The analysis as one JSON document (`analyze --json`,
// schemas/analysis.schema.json), beside the plan's (plan_json.hpp).
#ifndef ULTRASTRENGTH_PLAN_ANALYSIS_JSON_HPP
#define ULTRASTRENGTH_PLAN_ANALYSIS_JSON_HPP

#include "converters/scan.hpp"
#include "history/history.hpp"
#include "history/races.hpp"
#include "phase/phase.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace ultrastrength {

/// What the document holds; every pointer is set.
struct AnalysisDocument {
    const std::vector<InputOutcome>* inputs = nullptr; ///< the rejected ones are listed
    const ScanSummary* summary = nullptr;
    const History* history = nullptr;
    const std::vector<DetectedRace>* detected = nullptr;
    const PhaseResult* phases = nullptr;
    const std::vector<Race>* races = nullptr; ///< named races (--race)
    std::optional<std::int32_t> tz_offset_s;  ///< --tz
};

nlohmann::ordered_json analysis_to_json(const AnalysisDocument& document);

} // namespace ultrastrength

#endif
