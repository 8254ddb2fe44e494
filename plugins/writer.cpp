#include "plugins/writer.hpp"

#include "model/safe_file.hpp"

#include <system_error>
#include <utility>

namespace ultrastrength {

namespace {

/// True when `path` is a regular file holding exactly `bytes` (a symlink or
/// FIFO planted there is never read through, and is replaced).
bool same_content(const std::filesystem::path& path, std::string_view bytes) {
    const auto existing = read_owned_file(path.string(), bytes.size());
    return existing && *existing == bytes;
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

std::string Writer::roster_part(const RosterPlan& /*plan*/) const {
    return {};
}

std::string Writer::roster_file(const std::vector<std::string>& /*parts*/) const {
    return {};
}

void Writer::write_roster(const std::vector<RosterPlan>& plans, OutputSink& sink) const {
    const std::string_view file_name = roster_file_name();
    if (file_name.empty()) {
        return;
    }
    std::vector<std::string> parts;
    parts.reserve(plans.size());
    for (const auto& plan : plans) {
        parts.push_back(roster_part(plan));
    }
    sink.put(std::string(file_name), roster_file(parts));
}

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
    const bool exists = std::filesystem::exists(std::filesystem::symlink_status(path, ec));
    if (exists && same_content(path, bytes)) {
        m_entries.push_back({path, Outcome::unchanged});
        return;
    }
    try {
        write_file_atomically(path.string(), bytes);
    } catch (const UnsafeFileError& e) {
        throw OutputError(e.what());
    }
    m_entries.push_back({path, exists ? Outcome::updated : Outcome::created});
}

namespace {

/// The names a manifest lists, one per line; unsafe names are dropped.
std::set<std::string> read_manifest(const std::filesystem::path& path) {
    std::set<std::string> names;
    // A manifest lists a plan's files; 64 MiB is far past any real one.
    const auto text = read_owned_file(path.string(), std::size_t{64} << 20);
    if (!text) {
        return names;
    }
    std::size_t pos = 0;
    while (pos < text->size()) {
        auto end = text->find('\n', pos);
        if (end == std::string::npos) {
            end = text->size();
        }
        std::string name = text->substr(pos, end - pos);
        pos = end + 1;
        try {
            check_relative_name(name);
            names.insert(std::move(name));
        } catch (const OutputError&) {
            // Not ours to touch.
        }
    }
    return names;
}

void write_manifest(const std::filesystem::path& path, const std::set<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
        text += name;
        text += '\n';
    }
    if (same_content(path, text)) {
        return;
    }
    try {
        write_file_atomically(path.string(), text);
    } catch (const UnsafeFileError& e) {
        throw OutputError(e.what());
    }
}

} // namespace

ManagedWrite write_managed_folder(const std::filesystem::path& root,
                                  const std::map<std::string, std::string>& files,
                                  const std::string& manifest_name) {
    FolderSink sink(root);
    const auto manifest = root / manifest_name;
    const std::set<std::string> previous = read_manifest(manifest);
    std::set<std::string> names;
    for (const auto& [name, bytes] : files) {
        check_relative_name(name);
        if (name == manifest_name) {
            throw OutputError("output name \"" + name + "\" is the folder's manifest");
        }
        names.insert(name);
    }
    std::set<std::string> all = previous;
    all.insert(names.begin(), names.end());
    write_manifest(manifest, all);
    for (const auto& [name, bytes] : files) {
        sink.put(name, bytes);
    }
    ManagedWrite result;
    result.entries = sink.entries();
    for (const auto& name : previous) {
        if (names.count(name) != 0 || name == manifest_name) {
            continue;
        }
        std::error_code ec;
        const auto path = root / name;
        if (std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec)) &&
            std::filesystem::remove(path, ec)) {
            result.removed.push_back(name);
        } else if (ec && ec != std::errc::no_such_file_or_directory) {
            result.warnings.push_back(path.string() +
                                      ": cannot remove the file of a session no "
                                      "longer planned: " +
                                      ec.message());
        }
    }
    write_manifest(manifest, names);
    return result;
}

void WriterRegistry::add(std::unique_ptr<Writer> writer) {
    if (find(writer->name()) != nullptr) {
        throw std::logic_error("writer " + std::string(writer->name()) + " is already registered");
    }
    m_writers.push_back(std::move(writer));
}

WriterRegistry& default_writers() {
    static WriterRegistry registry = [] {
        WriterRegistry r;
        register_all_writers(r);
        return r;
    }();
    return registry;
}

const Writer* WriterRegistry::find(std::string_view name) const {
    for (const auto& writer : m_writers) {
        if (writer->name() == name) {
            return writer.get();
        }
    }
    return nullptr;
}

std::string_view to_string(FolderSink::Outcome outcome) noexcept {
    switch (outcome) {
    case FolderSink::Outcome::created:
        return "created";
    case FolderSink::Outcome::updated:
        return "updated";
    case FolderSink::Outcome::unchanged:
        return "unchanged";
    }
    return "unchanged";
}

} // namespace ultrastrength
