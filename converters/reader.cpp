#include "converters/reader.hpp"

namespace ultrastrength {

namespace {
std::string format_message(const std::string& source, const InputPosition& where,
                           const std::string& problem) {
    std::string msg = source;
    if (where.byte_offset) {
        msg += ": byte " + std::to_string(*where.byte_offset);
    }
    if (where.line) {
        msg += ": line " + std::to_string(*where.line);
    }
    msg += ": ";
    msg += problem;
    return msg;
}
} // namespace

ReadError::ReadError(std::string source, InputPosition where, const std::string& problem)
    : std::runtime_error(format_message(source, where, problem)), m_source(std::move(source)),
      m_where(where), m_problem(problem) {}

void ReaderRegistry::add(std::unique_ptr<Reader> reader) {
    if (find(reader->name()) != nullptr || find(reader->format()) != nullptr) {
        throw std::logic_error("reader " + std::string(reader->name()) +
                               ": its name or format value is already registered");
    }
    m_readers.push_back(std::move(reader));
}

const Reader* ReaderRegistry::find(Format format) const {
    for (const auto& reader : m_readers) {
        if (reader->format() == format) {
            return reader.get();
        }
    }
    return nullptr;
}

ReaderRegistry& default_readers() {
    static ReaderRegistry registry = [] {
        ReaderRegistry r;
        register_all(r);
        return r;
    }();
    return registry;
}

std::string_view format_name(Format format) {
    const Reader* reader = default_readers().find(format);
    return reader != nullptr ? reader->name() : std::string_view("unknown");
}

const Reader* ReaderRegistry::identify(std::span<const std::uint8_t> head,
                                       std::string_view file_name) const {
    const Reader* best = nullptr;
    int best_score = 0;
    for (const auto& reader : m_readers) {
        const int score = reader->identify(head, file_name);
        if (score > best_score) {
            best = reader.get();
            best_score = score;
        }
    }
    return best;
}

const Reader* ReaderRegistry::find(std::string_view name) const {
    for (const auto& reader : m_readers) {
        if (reader->name() == name) {
            return reader.get();
        }
    }
    return nullptr;
}

} // namespace ultrastrength
