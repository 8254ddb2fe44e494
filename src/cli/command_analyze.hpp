#ifndef ULTRASTRENGTH_CLI_COMMAND_ANALYZE_HPP
#define ULTRASTRENGTH_CLI_COMMAND_ANALYZE_HPP

#include "cli/analysis_options.hpp"
#include "cli/command.hpp"
#include "model/plan.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ultrastrength::cli {

/// `analyze INPUT...`: weekly volume, load, fitness/fatigue, races and the
/// training phase with its reasons; optionally an HTML report.
class CommandAnalyze final : public Command {
public:
    static constexpr std::string_view command_name = "analyze";
    static constexpr std::string_view command_synopsis =
        "weekly volume, load, fitness/fatigue, races and the training phase with its reasons";

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
    std::string m_report;
    CommonOptions m_common;
};

} // namespace ultrastrength::cli

#endif
