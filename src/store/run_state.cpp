#include "store/run_state.hpp"

#include "converters/stream.hpp"
#include "model/text.hpp"
#include "plugins/writer.hpp"

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <exception>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace ultrastrength {

namespace {

using Json = nlohmann::ordered_json;

/// XXH3-64 of a file's bytes, as hash_file() computes it, through a small
/// buffer that is not zero-filled first: a warm run hashes every file of
/// the folder, most of them a few KiB, and a zeroed 1 MiB buffer per file
/// cost more than the hashing (bench/warm_plan.sh).
std::uint64_t hash_output(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw std::runtime_error(path.string() + ": cannot be read");
    }
    XXH3_state_t state{};
    XXH3_64bits_reset(&state);
    std::array<unsigned char, 64 * 1024> buffer; // NOLINT: filled by read() before use
    for (;;) {
        const ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            ::close(fd);
            throw std::runtime_error(path.string() + ": cannot be read");
        }
        if (n == 0) {
            break;
        }
        XXH3_64bits_update(&state, buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fd);
    return XXH3_64bits_digest(&state);
}

/// The state file's entry for a file of the folder: its size and content hash.
Json file_entry(const std::filesystem::path& out, const std::string& name) {
    const auto path = out / name;
    return Json{{"name", name},
                {"size", std::filesystem::file_size(path)},
                {"hash", hex64(hash_output(path))}};
}

/// `path` (or `folder/name`) with the file's size and modification time.
void append_stamp(std::string& text, std::string_view path, const struct stat& st,
                  std::string_view name = {}) {
    const std::uint64_t size = static_cast<std::uint64_t>(st.st_size);
    const std::int64_t mtime_ns =
        static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    text += '\0';
    text += path;
    if (!name.empty()) {
        text += '/';
        text += name;
    }
    text += '\0';
    text.append(reinterpret_cast<const char*>(&size), sizeof size);
    text.append(reinterpret_cast<const char*>(&mtime_ns), sizeof mtime_ns);
}

/// The stamps of the files below the open folder `fd` (named `path`), names
/// in byte order at each level. Closes `fd`. By hand with openat/fstatat
/// rather than std::filesystem: a warm run lists 2,000 files, and the
/// iterator's path objects cost three times the stat calls themselves
/// (bench/warm_plan.sh).
bool append_folder_stamps(int fd, const std::string& path, std::string& text) {
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
        ::close(fd);
        return false;
    }
    std::vector<std::pair<std::string, unsigned char>> entries;
    errno = 0;
    while (const dirent* e = ::readdir(dir)) {
        const std::string_view name = e->d_name;
        if (name != "." && name != "..") {
            entries.emplace_back(std::string(name), e->d_type);
        }
    }
    if (errno != 0) {
        ::closedir(dir);
        return false;
    }
    std::sort(entries.begin(), entries.end());
    const int dfd = ::dirfd(dir);
    bool ok = true;
    for (const auto& [name, type] : entries) {
        struct stat st {};
        bool is_dir = type == DT_DIR;
        if (type == DT_UNKNOWN) { // some file systems: ask, without following a link
            if (::fstatat(dfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
                continue; // gone since it was listed
            }
            is_dir = S_ISDIR(st.st_mode);
        }
        if (is_dir) {
            const std::string child = path + "/" + name;
            const int sub = ::openat(dfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (sub < 0) {
                // Skipped by the scan too (permission denied): noted, so that
                // the stamps change when it becomes readable.
                text += '\2';
                text += child;
                continue;
            }
            ok = append_folder_stamps(sub, child, text) && ok;
        } else if (::fstatat(dfd, name.c_str(), &st, 0) == 0 && S_ISREG(st.st_mode)) {
            append_stamp(text, path, st, name);
        }
    }
    ::closedir(dir);
    return ok;
}

} // namespace

bool append_input_stamps(const std::vector<std::string>& paths, std::string& text) {
    for (const std::string& path : paths) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0) {
            text += '\1';
            text += path;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            append_stamp(text, path, st);
            continue;
        }
        const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            text += '\2';
            text += path;
            continue;
        }
        if (!append_folder_stamps(fd, path, text)) {
            return false;
        }
    }
    return true;
}

std::string hex64(std::uint64_t value) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
    return buf;
}

bool file_as_recorded(const std::filesystem::path& out, const std::string& name, std::uint64_t size,
                      const std::string& hash) {
    const auto path = out / name;
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec) &&
           std::filesystem::file_size(path, ec) == size && !ec && hex64(hash_output(path)) == hash;
}

namespace {

/// The folder's state when `matches` accepts it and every file it lists is
/// still there as recorded.
template <typename Matches>
std::optional<PlanState> matching_state(const std::filesystem::path& out, Matches matches) {
    std::ifstream in(out / plan_state_name, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    Json state = Json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.is_object() || !state.contains("files") ||
        !state["files"].is_array() || !matches(state)) {
        return std::nullopt;
    }
    PlanState result;
    if (const auto q = state.find("quick"); q != state.end() && q->is_object()) {
        result.quick = std::move(*q);
    }
    try {
        for (const Json& f : state["files"]) {
            const std::string name = f.at("name").get<std::string>();
            check_relative_name(name);
            if (!file_as_recorded(out, name, f.at("size").get<std::uint64_t>(),
                                  f.at("hash").get<std::string>())) {
                return std::nullopt;
            }
            result.files.push_back(name);
        }
    } catch (const std::exception&) {
        return std::nullopt; // a malformed state or an unreadable file: plan again
    }
    if (const auto w = state.find("warnings"); w != state.end() && w->is_array()) {
        for (const Json& text : *w) {
            if (text.is_string()) {
                result.warnings.push_back(text.get<std::string>());
            }
        }
    }
    return result;
}

} // namespace

std::optional<PlanState> matching_plan_state(const std::filesystem::path& out,
                                             const std::string& fingerprint) {
    return matching_state(
        out, [&](const Json& state) { return state.value("fingerprint", "") == fingerprint; });
}

std::optional<PlanState> matching_plan_state_by_stamps(const std::filesystem::path& out,
                                                       const std::string& stamps) {
    return matching_state(out, [&](const Json& state) {
        const auto q = state.find("quick");
        return !stamps.empty() && q != state.end() && q->is_object() &&
               q->value("stamps", "") == stamps;
    });
}

std::string plan_state_text(const std::filesystem::path& out, const std::string& fingerprint,
                            const std::set<std::string>& written,
                            const std::vector<std::string>& warnings, const std::string& calendar,
                            const Json& quick) {
    Json state;
    state["fingerprint"] = fingerprint;
    Json files = Json::array();
    for (const auto& name : written) {
        files.push_back(file_entry(out, name));
    }
    files.push_back(file_entry(out, plan_manifest_name));
    state["files"] = std::move(files);
    state["warnings"] = warnings;
    if (!calendar.empty()) {
        state["calendar"] = Json::parse(calendar);
    }
    if (!quick.is_null()) {
        state["quick"] = quick;
    }
    make_valid_utf8(state);
    return state.dump(1) + "\n";
}

void restamp_plan_state(const std::filesystem::path& out, const Json& quick) {
    std::ifstream in(out / plan_state_name, std::ios::binary);
    Json state = Json::parse(in, nullptr, false);
    if (!in || state.is_discarded() || !state.is_object()) {
        throw std::runtime_error((out / plan_state_name).string() + ": cannot be read");
    }
    state["quick"] = quick;
    FolderSink sink(out);
    sink.put(plan_state_name, state.dump(1) + "\n");
}

std::optional<std::string> stored_calendar_state(const std::filesystem::path& out) {
    std::ifstream in(out / plan_state_name, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    const Json state = Json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.is_object() || !state.contains("calendar")) {
        return std::nullopt;
    }
    return state["calendar"].dump();
}

std::optional<nlohmann::ordered_json> matching_roster_state(const std::filesystem::path& out,
                                                            const std::string& fingerprint) {
    std::ifstream in(out / roster_state_name, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    Json state = Json::parse(in, nullptr, false);
    if (state.is_discarded() || !state.is_object() ||
        state.value("fingerprint", "") != fingerprint || !state.contains("files") ||
        !state["files"].is_object() || state["files"].empty() || !state.contains("athletes") ||
        !state["athletes"].is_array()) {
        return std::nullopt;
    }
    try {
        for (const auto& [name, f] : state["files"].items()) {
            check_relative_name(name);
            if (!file_as_recorded(out, name, f.at("size").get<std::uint64_t>(),
                                  f.at("hash").get<std::string>())) {
                return std::nullopt;
            }
        }
    } catch (const std::exception&) {
        return std::nullopt; // malformed state or unreadable file: plan again
    }
    return state;
}

std::string roster_state_text(const std::filesystem::path& out, const std::string& fingerprint,
                              const std::vector<std::string>& files,
                              const nlohmann::ordered_json& athletes) {
    Json doc;
    doc["fingerprint"] = fingerprint;
    doc["files"] = Json::object();
    for (const auto& name : files) {
        doc["files"][name] = {{"size", std::filesystem::file_size(out / name)},
                              {"hash", hex64(hash_output(out / name))}};
    }
    doc["athletes"] = athletes;
    make_valid_utf8(doc);
    return doc.dump(1) + "\n";
}

} // namespace ultrastrength
