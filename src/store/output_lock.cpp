#include "store/output_lock.hpp"

#include "model/safe_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace ultrastrength {

namespace {

/// FolderSink's temporary names: "." + file name + ".tmp-" + six characters.
bool is_sink_temporary(const std::string& name) {
    const auto tag = name.rfind(".tmp-");
    return name.size() > 12 && name.front() == '.' && tag != std::string::npos &&
           tag + 11 == name.size();
}

std::size_t remove_temporaries(const std::filesystem::path& folder, bool top) {
    std::error_code ec;
    if (!top && std::filesystem::exists(folder / OutputLock::file_name, ec)) {
        return 0; // another run's folder
    }
    std::size_t removed = 0;
    for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
         it.increment(ec)) {
        std::error_code type_ec;
        const std::string name = it->path().filename().string();
        if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
            removed += remove_temporaries(it->path(), false);
        } else if (is_sink_temporary(name) && it->is_regular_file(type_ec)) {
            removed += std::filesystem::remove(it->path(), type_ec) ? 1 : 0;
        }
    }
    return removed;
}

} // namespace

OutputLock::OutputLock(const std::string& folder, bool wait) {
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec) {
        throw std::runtime_error(folder + ": cannot create output folder: " + ec.message());
    }
    const std::string path = folder + "/" + file_name;
    try {
        m_fd = open_owned_file(path);
    } catch (const UnsafeFileError& e) {
        throw std::runtime_error(std::string("cannot open the lock file: ") + e.what());
    }
    int rc = 0;
    while ((rc = ::flock(m_fd, LOCK_EX | (wait ? 0 : LOCK_NB))) != 0 && errno == EINTR) {
    }
    if (rc != 0) {
        const int error = errno;
        std::string holder;
        char buf[32] = {};
        if (::pread(m_fd, buf, sizeof buf - 1, 0) > 0) {
            holder = std::string(" (process ") + std::strtok(buf, "\n") + ")";
        }
        ::close(m_fd);
        m_fd = -1;
        if (error == EWOULDBLOCK) {
            throw LockBusy(folder + ": another run is writing this output folder" + holder +
                           "; use --wait to wait for it");
        }
        throw std::runtime_error(path + ": cannot lock: " + std::strerror(error));
    }
    m_removed = remove_temporaries(folder, true);
    // Who holds it, for the message another run prints.
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_fd, 0) == 0) {
        [[maybe_unused]] const auto written = ::pwrite(m_fd, pid.data(), pid.size(), 0);
    }
}

OutputLock::~OutputLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // releases the flock
    }
}

} // namespace ultrastrength
