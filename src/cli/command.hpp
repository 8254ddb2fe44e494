// The command framework: one class per command, one file pair each
// (command_<name>.hpp/.cpp). setup() parses and validates the arguments,
// run() does the work and returns an exit code. Only main() maps errors to
// exit codes.
#ifndef ULTRASTRENGTH_CLI_COMMAND_HPP
#define ULTRASTRENGTH_CLI_COMMAND_HPP

#include "pipeline/exit_code.hpp"

#include <boost/program_options.hpp>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ultrastrength::cli {

namespace po = boost::program_options;

/// Wrong arguments: main() prints the message and a pointer to --help, exit 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Options every command that reads inputs shares.
struct CommonOptions {
    unsigned jobs = 0;
    bool json = false;
    bool quiet = false;
    bool verbose = false;
    std::string cache; ///< empty: FeatureCache::default_path()
    bool no_cache = false;
};

class Command {
public:
    Command() = default;
    Command(const Command&) = delete;
    Command& operator=(const Command&) = delete;
    virtual ~Command() = default;

    virtual std::string_view name() const noexcept = 0;
    /// One line for the command list.
    virtual std::string_view synopsis() const noexcept = 0;
    /// The usage line(s), e.g. "ultrastrength scan [OPTIONS] INPUT...".
    virtual std::string usage() const = 0;
    /// Free text after the options in --help: what it does, examples.
    virtual std::string details() const { return {}; }

    /// Parses `args` (everything after the command name). Throws UsageError.
    /// Returns false when the command printed help and should not run.
    bool setup(const std::vector<std::string>& args);
    virtual int run() = 0;

    /// The full --help text.
    std::string help();

protected:
    /// Describes this command's own options and positional arguments.
    virtual void add_options(po::options_description& options,
                             po::positional_options_description& positional) = 0;
    /// Checks and copies the parsed values. Throws UsageError.
    virtual void apply(const po::variables_map& vm) = 0;

    /// The shared input-side options (--jobs, --json, --quiet, --verbose,
    /// --cache, --no-cache).
    static po::options_description common_options(CommonOptions& common);
};

using CommandFactory = std::function<std::unique_ptr<Command>()>;

struct CommandInfo {
    std::string_view name;
    std::string_view synopsis;
    CommandFactory make;
};

/// Every command, one line each, in the order `--help` lists them.
const std::vector<CommandInfo>& all_commands();

/// Terms and their descriptions as help text: "  TERM  description", the
/// descriptions aligned after the longest term and wrapped at word ends to
/// `width` columns. For lists taken from a registry (formats, writers).
std::string definition_list(const std::vector<std::pair<std::string, std::string>>& items,
                            std::size_t width = 80);

/// The input formats as help text names them, from the reader registry:
/// "FIT, TCX, GPX" with (", ", ", "), "FIT, TCX or GPX" with (", ", " or ").
/// `by_rank` orders them as the duplicate rule ranks them (lower Format value
/// first: "FIT > TCX > GPX"), else in the registry's order.
std::string reader_names(std::string_view separator, std::string_view last_separator,
                         bool by_rank = false);

} // namespace ultrastrength::cli

#endif
