// One athlete's analysis, as `analyze` prints it and `plan` builds on it:
// scan -> history -> detected races -> phases. It prints nothing.
#ifndef ULTRASTRENGTH_PIPELINE_ANALYZE_ATHLETE_HPP
#define ULTRASTRENGTH_PIPELINE_ANALYZE_ATHLETE_HPP

#include "converters/scan.hpp"
#include "history/history.hpp"
#include "history/races.hpp"
#include "phase/phase.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ultrastrength::pipeline {

/// The inputs and the analysis settings (as `analyze` takes them).
struct AnalysisRequest {
    std::vector<std::string> inputs;
    std::vector<Race> races; ///< named races (--race); the A race is picked from them
    std::optional<std::int32_t> utc_offset_s; ///< --tz
    std::optional<std::int64_t> today;        ///< local day; default: the last activity's day
    std::vector<std::pair<std::int64_t, std::int64_t>> known_gaps; ///< --no-data [first, last]
    AthleteSettings athlete; ///< hrmax, hrrest, lthr, threshold pace, sex
    unsigned jobs = 0;       ///< decoding threads, 0 = all cores
    /// Replaces the plain scan (e.g. a cached scan); empty = scan_inputs over all readers.
    std::function<std::vector<InputOutcome>(const std::vector<std::string>& inputs)> scan;
};

struct AthleteAnalysis {
    std::vector<InputOutcome> inputs; ///< per input; activities moved into the history
    ScanSummary summary;              ///< counted before the activities moved
    History history;
    std::vector<DetectedRace> detected;
    PhaseResult phases;
    /// Local days of every recorded activity (any sport), for the weekly pattern.
    std::vector<std::int64_t> activity_days;
};

/// The request's scan: its `scan` function, else every reader over the inputs.
std::vector<InputOutcome> scan_athlete(const AnalysisRequest& request);

/// The analysis of inputs already scanned (moves their activities out).
AthleteAnalysis analyze_scanned(const AnalysisRequest& request, std::vector<InputOutcome> inputs);

/// Scans and analyses. Never throws for bad inputs: they come back in `inputs`.
AthleteAnalysis analyze_athlete(const AnalysisRequest& request);

} // namespace ultrastrength::pipeline

#endif
