#include "model/safe_file.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ultrastrength {

namespace {

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

[[noreturn]] void fail(const std::string& path, const char* what, int error) {
    throw UnsafeFileError(path + ": " + what + ": " + errno_text(error));
}

/// Clears O_NONBLOCK (set only so that opening a FIFO cannot hang) and
/// checks that `fd` is a regular file; closes it and throws otherwise.
void require_regular(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int error = errno;
        ::close(fd);
        fail(path, "cannot stat", error);
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw UnsafeFileError(path + ": not a regular file (a folder, device or FIFO is in its "
                                     "place): refused");
    }
    if (st.st_nlink > 1) {
        // A hard link planted there would make the file someone else's too.
        ::close(fd);
        throw UnsafeFileError(path + ": has other hard links: refused");
    }
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0) {
        ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    }
}

} // namespace

int open_owned_file(const std::string& path) {
    const int fd =
        ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
    if (fd < 0) {
        const int error = errno;
        if (error == ELOOP) {
            throw UnsafeFileError(path + ": is a symbolic link: refused (it could point at any "
                                         "file)");
        }
        fail(path, "cannot open", error);
    }
    require_regular(fd, path);
    return fd;
}

int create_temporary_for(const std::string& final_path, std::string& temp_path) {
    const auto slash = final_path.rfind('/');
    const std::string folder = slash == std::string::npos ? "" : final_path.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? final_path : final_path.substr(slash + 1);
    temp_path = folder + "." + name + ".tmp-XXXXXX";
    // mkostemp opens with O_CREAT | O_EXCL: it never reuses an existing
    // name, so nothing planted there is written through.
    const int fd = ::mkostemp(temp_path.data(), O_CLOEXEC);
    if (fd < 0) {
        fail(final_path, "cannot create a temporary file", errno);
    }
    // mkostemp creates 0600; outputs are meant to be shared (sync jobs, web servers).
    if (::fchmod(fd, 0644) != 0) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp_path.c_str());
        fail(final_path, "cannot set permissions", error);
    }
    return fd;
}

std::optional<std::string> read_owned_file(const std::string& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        ::close(fd);
        return std::nullopt;
    }
    std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    char extra = 0;
    const bool grew = ::read(fd, &extra, 1) > 0;
    ::close(fd);
    if (got != bytes.size() || grew) {
        return std::nullopt; // changed while read
    }
    return bytes;
}

void write_file_atomically(const std::string& path, std::string_view bytes) {
    std::string temp;
    const int fd = create_temporary_for(path, temp);
    auto give_up = [&](const char* what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        fail(path, what, error);
    };
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t done = ::write(fd, data, left);
        if (done < 0) {
            if (errno == EINTR) {
                continue;
            }
            give_up("cannot write");
        }
        data += done;
        left -= static_cast<std::size_t>(done);
    }
    if (::fsync(fd) != 0) {
        give_up("cannot flush to disk");
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        fail(path, "cannot close", error);
    }
    // rename() replaces a symlink at `path` itself, never its target.
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        fail(path, "cannot rename into place", error);
    }
    const auto slash = path.rfind('/');
    const std::string folder = slash == std::string::npos ? "." : path.substr(0, slash + 1);
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir); // the rename survives a crash
        ::close(dir);
    }
}

} // namespace ultrastrength
