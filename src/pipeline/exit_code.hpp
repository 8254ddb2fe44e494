// The program's exit codes (DESIGN.md, "CLI"), shared by the pipeline, which
// decides them, and the commands, which return them.
#ifndef ULTRASTRENGTH_PIPELINE_EXIT_CODE_HPP
#define ULTRASTRENGTH_PIPELINE_EXIT_CODE_HPP

#include "converters/scan.hpp"

namespace ultrastrength {

/// Exit codes (DESIGN.md, "CLI").
enum ExitCode : int {
    exit_ok = 0,      ///< all good
    exit_partial = 1, ///< done, with some inputs rejected (listed)
    exit_usage = 2,   ///< usage error
    exit_failed = 3,  ///< nothing could be done
};

/// 0 nothing rejected, 1 some rejected, 3 nothing readable at all.
inline int exit_code_for(const ScanSummary& s) {
    if (s.rejected == 0) {
        return s.inputs == 0 ? exit_failed : exit_ok;
    }
    return (s.read + s.skipped) > 0 ? exit_partial : exit_failed;
}

} // namespace ultrastrength

#endif
