#include "pipeline/analyze_athlete.hpp"

#include "model/time.hpp"

namespace ultrastrength::pipeline {

std::vector<InputOutcome> scan_athlete(const AnalysisRequest& request) {
    if (request.scan) {
        return request.scan(request.inputs);
    }
    const ReaderRegistry& registry = default_readers();
    ScanOptions scan_options;
    scan_options.jobs = request.jobs;
    return scan_inputs(registry, request.inputs, scan_options);
}

AthleteAnalysis analyze_scanned(const AnalysisRequest& request, std::vector<InputOutcome> inputs) {
    AthleteAnalysis a;
    a.inputs = std::move(inputs);
    a.summary = summarize(a.inputs);
    HistoryInput input;
    for (auto& outcome : a.inputs) {
        for (auto& act : outcome.activities) {
            if (act.start_utc) {
                const std::int64_t local =
                    *act.start_utc + act.utc_offset_s.value_or(request.utc_offset_s.value_or(0));
                a.activity_days.push_back(floor_div(local, 86400));
            }
            input.activities.push_back(std::move(act));
        }
        outcome.activities.clear();
    }
    input.athlete = request.athlete;
    input.utc_offset_s = request.utc_offset_s;
    input.today = request.today;
    input.known_gaps = request.known_gaps;

    a.history = build_history(input);
    a.detected = detect_races(a.history);
    a.phases = classify_phases(a.history, request.races, a.detected);
    return a;
}

AthleteAnalysis analyze_athlete(const AnalysisRequest& request) {
    return analyze_scanned(request, scan_athlete(request));
}

} // namespace ultrastrength::pipeline
