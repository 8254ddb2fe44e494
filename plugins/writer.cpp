#include "plugins/writer.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ultrastrength {

namespace {

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

/// True when `path` holds exactly `bytes`.
bool same_content(const std::filesystem::path& path, std::string_view bytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec || size != bytes.size()) {
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::string existing(bytes.size(), '\0');
    in.read(existing.data(), static_cast<std::streamsize>(existing.size()));
    return in.gcount() == static_cast<std::streamsize>(bytes.size()) && existing == bytes;
}

/// Flushes a folder's entry list, so a rename inside it survives a crash.
void sync_folder(const std::filesystem::path& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

void write_atomically(const std::filesystem::path& path, std::string_view bytes) {
    const auto folder = path.parent_path();
    std::string temp_name(".");
    temp_name += path.filename().string();
    temp_name += ".tmp-XXXXXX";
    std::string temp = (folder / temp_name).string();
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        throw OutputError(path.string() + ": cannot create a temporary file: " + errno_text(errno));
    }
    auto fail = [&](const char* what) {
        const int error = errno;
        ::close(fd);
        ::unlink(temp.c_str());
        throw OutputError(path.string() + ": " + what + ": " + errno_text(error));
    };
    // mkstemp creates 0600; outputs are meant to be shared (sync jobs, web servers).
    if (::fchmod(fd, 0644) != 0) {
        fail("cannot set permissions");
    }
    const char* data = bytes.data();
    std::size_t left = bytes.size();
    while (left > 0) {
        const ssize_t done = ::write(fd, data, left);
        if (done < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot write");
        }
        data += done;
        left -= static_cast<std::size_t>(done);
    }
    if (::fsync(fd) != 0) {
        fail("cannot flush to disk");
    }
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw OutputError(path.string() + ": cannot close: " + errno_text(error));
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        ::unlink(temp.c_str());
        throw OutputError(path.string() + ": cannot rename into place: " + errno_text(error));
    }
    sync_folder(folder);
}

} // namespace

void check_relative_name(const std::string& relative_name) {
    const std::filesystem::path path(relative_name);
    if (relative_name.empty() || path.is_absolute() || relative_name.front() == '/') {
        throw OutputError("output name \"" + relative_name + "\" must be a relative path");
    }
    for (const auto& part : path) {
        if (part == ".." || part == ".") {
            throw OutputError("output name \"" + relative_name +
                              "\" must not contain \".\" or \"..\" components");
        }
    }
    if (!path.has_filename()) {
        throw OutputError("output name \"" + relative_name + "\" names a folder, not a file");
    }
}

void Writer::write_roster(const std::vector<RosterPlan>& /*plans*/, OutputSink& /*sink*/) const {}

void OutputSink::note(const std::string& relative_name, const std::string& message,
                      NoteLevel level) {
    m_notes.push_back({relative_name, message, level});
}

void OutputSink::claim(const std::string& relative_name) {
    check_relative_name(relative_name);
    if (!m_claimed.insert(relative_name).second) {
        throw OutputError("output name \"" + relative_name +
                          "\" written twice in one run (give each athlete its own output folder)");
    }
}

void MemorySink::put(const std::string& relative_name, std::string_view bytes) {
    claim(relative_name);
    m_files[relative_name] = std::string(bytes);
}

FolderSink::FolderSink(std::filesystem::path root) : m_root(std::move(root)) {
    std::error_code ec;
    std::filesystem::create_directories(m_root, ec);
    if (ec) {
        throw OutputError(m_root.string() + ": cannot create the output folder: " + ec.message());
    }
}

void FolderSink::put(const std::string& relative_name, std::string_view bytes) {
    claim(relative_name);
    const auto path = m_root / relative_name;
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        throw OutputError(path.parent_path().string() + ": cannot create folder: " + ec.message());
    }
    const bool exists = std::filesystem::exists(path, ec);
    if (exists && same_content(path, bytes)) {
        m_entries.push_back({path, Outcome::unchanged});
        return;
    }
    write_atomically(path, bytes);
    m_entries.push_back({path, exists ? Outcome::updated : Outcome::created});
}

void WriterRegistry::add(std::unique_ptr<Writer> writer) {
    m_writers.push_back(std::move(writer));
}

const Writer* WriterRegistry::find(std::string_view name) const {
    for (const auto& writer : m_writers) {
        if (writer->name() == name) {
            return writer.get();
        }
    }
    return nullptr;
}

} // namespace ultrastrength
