// The command list: one line per command. Adding a command: its file pair,
// one line here, the CMake source list, its tests (CONTRIBUTING.md).
#include "cli/command.hpp"
#include "cli/command_analyze.hpp"
#include "cli/command_batch.hpp"
#include "cli/command_formats.hpp"
#include "cli/command_plan.hpp"
#include "cli/command_push.hpp"
#include "cli/command_scan.hpp"
#include "cli/command_validate.hpp"

namespace ultrastrength::cli {

namespace {
template <class T> CommandInfo info() {
    return {T::command_name, T::command_synopsis, [] { return std::make_unique<T>(); }};
}
} // namespace

const std::vector<CommandInfo>& all_commands() {
    static const std::vector<CommandInfo> commands = {
        info<CommandScan>(), info<CommandAnalyze>(), info<CommandPlan>(),     info<CommandBatch>(),
        info<CommandPush>(), info<CommandFormats>(), info<CommandValidate>(),
    };
    return commands;
}

} // namespace ultrastrength::cli
