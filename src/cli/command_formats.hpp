#ifndef ULTRASTRENGTH_CLI_COMMAND_FORMATS_HPP
#define ULTRASTRENGTH_CLI_COMMAND_FORMATS_HPP

#include "cli/command.hpp"

namespace ultrastrength::cli {

/// `formats`: the readers and writers, with what each supports.
class CommandFormats final : public Command {
public:
    static constexpr std::string_view command_name = "formats";
    static constexpr std::string_view command_synopsis =
        "list the input formats read and the output formats written";

    std::string_view name() const noexcept override { return command_name; }
    std::string_view synopsis() const noexcept override { return command_synopsis; }
    std::string usage() const override { return "ultrastrength formats [--json]"; }
    int run() override;

protected:
    void add_options(po::options_description& options,
                     po::positional_options_description& positional) override;
    void apply(const po::variables_map& vm) override;

private:
    bool m_json = false;
};

} // namespace ultrastrength::cli

#endif
