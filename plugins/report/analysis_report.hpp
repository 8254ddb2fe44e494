// The analysis as a self-contained HTML page (`analyze --report`): weekly
// effort-km by phase, fitness/fatigue/form, the races found and the weekly
// table. Pure: bytes out, no clock.
#ifndef ULTRASTRENGTH_PLUGINS_REPORT_ANALYSIS_REPORT_HPP
#define ULTRASTRENGTH_PLUGINS_REPORT_ANALYSIS_REPORT_HPP

#include "history/history.hpp"
#include "history/races.hpp"
#include "phase/phase.hpp"

#include <string>
#include <vector>

namespace ultrastrength {

/// What the report shows; every pointer is set.
struct AnalysisReport {
    const History* history = nullptr;
    const std::vector<DetectedRace>* detected = nullptr;
    const PhaseResult* phases = nullptr;
    const std::vector<Race>* races = nullptr; ///< named races (--race)
};

std::string analysis_report_html(const AnalysisReport& report);

} // namespace ultrastrength

#endif
