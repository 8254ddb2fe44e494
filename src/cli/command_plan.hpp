#ifndef ULTRASTRENGTH_CLI_COMMAND_PLAN_HPP
#define ULTRASTRENGTH_CLI_COMMAND_PLAN_HPP

#include "cli/analysis_options.hpp"
#include "cli/command.hpp"
#include "pipeline/plan_athlete.hpp"

#include <string>
#include <vector>

namespace ultrastrength::cli {

/// `plan INPUT... [--out DIR]`: the analysis, then dated strength sessions
/// for the coming weeks, written as plan.json, plan.txt and the chosen
/// platform formats (pipeline/plan_athlete.hpp does the work).
class CommandPlan final : public Command {
public:
    static constexpr std::string_view command_name = "plan";
    static constexpr std::string_view command_synopsis =
        "periodized strength sessions for the coming weeks, as watch, calendar and platform files";

    std::string_view name() const noexcept override { return command_name; }
    std::string_view synopsis() const noexcept override { return command_synopsis; }
    std::string usage() const override;
    std::string details() const override;
    int run() override;

protected:
    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override;
    void apply(const po::variables_map& vm) override;

private:
    AnalysisOptions m_analysis;
    CommonOptions m_common;
    std::string m_out;
    std::string m_formats;
    std::string m_weeks;
    std::string m_start;
    std::string m_equipment;
    std::string m_level;
    std::string m_strength_history;
    bool m_no_jumps = false;
    std::string m_days;
    std::string m_long_run_day;
    std::string m_library;
    std::string m_id;
    std::string m_name;
    std::string m_race_descent;
    std::string m_weight_unit;
    std::string m_trainingpeaks_id;
    std::vector<std::string> m_one_rep_max;
    bool m_wait = false;

    pipeline::PlanRequest m_request; ///< filled by apply()
};

} // namespace ultrastrength::cli

#endif
