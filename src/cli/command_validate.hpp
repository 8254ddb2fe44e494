#ifndef ULTRASTRENGTH_CLI_COMMAND_VALIDATE_HPP
#define ULTRASTRENGTH_CLI_COMMAND_VALIDATE_HPP

#include "cli/command.hpp"

#include <string>
#include <vector>

namespace ultrastrength::cli {

/// `validate FILE...`: checks each file against its format's schema (TCX,
/// GPX: the official XSDs) and prints every problem as "file:line: ...".
class CommandValidate final : public Command {
public:
    static constexpr std::string_view command_name = "validate";
    static constexpr std::string_view command_synopsis =
        "check files against their format's schema";

    std::string_view name() const noexcept override { return command_name; }
    std::string_view synopsis() const noexcept override { return command_synopsis; }
    std::string usage() const override { return "ultrastrength validate [OPTIONS] FILE..."; }
    std::string details() const override;
    int run() override;

protected:
    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override;
    void apply(const po::variables_map& vm) override;

private:
    std::vector<std::string> m_files;
    bool m_quiet = false;
};

} // namespace ultrastrength::cli

#endif
