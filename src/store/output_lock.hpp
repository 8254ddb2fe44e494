// An exclusive lock on an output folder, so that two runs writing the same
// plans (two cron jobs, a cron job and a coach) never interleave their
// files. flock(2) on `DIR/.ultrastrength.lock`: released by the kernel when
// the process ends, even on SIGKILL, so a killed run never leaves a stale lock.
#ifndef ULTRASTRENGTH_STORE_OUTPUT_LOCK_HPP
#define ULTRASTRENGTH_STORE_OUTPUT_LOCK_HPP

#include <cstddef>
#include <stdexcept>
#include <string>

namespace ultrastrength {

/// Another run holds the lock and we were told not to wait.
class LockBusy : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class OutputLock {
public:
    /// Creates `folder` if needed and locks it. With `wait`, blocks until the
    /// other run is done; without, throws LockBusy naming the folder and the
    /// process that holds it.
    OutputLock(const std::string& folder, bool wait);
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    static constexpr const char* file_name = ".ultrastrength.lock";

    /// Temporary files a killed run left behind (FolderSink writes
    /// `.NAME.tmp-XXXXXX` and renames it): removed when the lock is taken,
    /// since no other run can be writing them then. Subfolders with a lock
    /// of their own belong to their own runs and are left alone.
    std::size_t removed_temporaries() const noexcept { return m_removed; }

private:
    int m_fd = -1;
    std::size_t m_removed = 0;
};

} // namespace ultrastrength

#endif
