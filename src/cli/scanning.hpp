// Scanning as every command that reads inputs does it: the common options
// (--jobs, --cache, --no-cache, --quiet, --verbose), the feature cache,
// progress on stderr when it is a terminal.
#ifndef ULTRASTRENGTH_CLI_SCANNING_HPP
#define ULTRASTRENGTH_CLI_SCANNING_HPP

#include "cli/command.hpp"
#include "converters/scan.hpp"

#include <iosfwd>
#include <string>
#include <vector>

namespace ultrastrength::cli {

/// Scans `inputs` with the cache the options name (opened for this scan and
/// closed after it). Cache problems (a corrupt file moved aside, results not
/// stored) are printed to `log` and never stop the scan: without a usable
/// cache every input is decoded. With --verbose, prints what the cache saved.
ScanResult scan_with_options(const ReaderRegistry& registry, const std::vector<std::string>& inputs,
                             const CommonOptions& common, std::ostream& log);

/// "2000 files: 1 decoded, 1999 from the cache (0 by content)".
std::string describe_counts(const ScanCounts& counts);

/// True when progress lines may be drawn on stderr: it is a terminal, and
/// not --quiet. Under cron stderr is a file or a mail pipe: no progress.
bool show_progress(const CommonOptions& common);

} // namespace ultrastrength::cli

#endif
