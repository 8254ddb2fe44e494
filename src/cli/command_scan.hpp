#ifndef ULTRASTRENGTH_CLI_COMMAND_SCAN_HPP
#define ULTRASTRENGTH_CLI_COMMAND_SCAN_HPP

#include "cli/command.hpp"

namespace ultrastrength::cli {

/// `scan INPUT...`: lists the activities found, with per-input status and errors.
class CommandScan final : public Command {
public:
    static constexpr std::string_view command_name = "scan";
    static constexpr std::string_view command_synopsis =
        "list the activities in files, folders and archives, with per-file status and errors";

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
    std::vector<std::string> m_inputs;
    CommonOptions m_common;
};

} // namespace ultrastrength::cli

#endif
