#ifndef ULTRASTRENGTH_CLI_COMMAND_PUSH_HPP
#define ULTRASTRENGTH_CLI_COMMAND_PUSH_HPP

#include "cli/command.hpp"
#include "push/push.hpp"

#include <optional>
#include <string>

namespace ultrastrength::cli {

/// `push TARGET DIR`: a plan folder's sessions into the athlete's calendar
/// through the platform's official API (docs/push.md).
class CommandPush final : public Command {
public:
    static constexpr std::string_view command_name = "push";
    static constexpr std::string_view command_synopsis =
        "put a plan's sessions in intervals.icu, TrainingPeaks or Garmin Connect";

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
    push::PushOptions m_options;
    bool m_login = false;
    std::optional<std::string> m_code;
    bool m_quiet = false;
};

/// Runs a push and prints its report (sessions that changed or failed on
/// stdout, problems on stderr); returns the exit code. `batch --push` uses it.
int push_and_report(const push::PushOptions& options, bool quiet);

/// Today's local date (the platforms' date windows are in the athlete's days).
CivilDate local_today();

} // namespace ultrastrength::cli

#endif
