// The reader contract (DESIGN.md, "Contracts"): identify by content, then
// read one input into zero or more activities. Bad data becomes one ReadError
// per input at this boundary; the per-record loops inside a reader use status
// values, never exceptions.
#ifndef ULTRASTRENGTH_CONVERTERS_READER_HPP
#define ULTRASTRENGTH_CONVERTERS_READER_HPP

#include "converters/stream.hpp"
#include "converters/validate.hpp"
#include "model/activity.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

/// Where in an input something went wrong: a byte offset (binary formats) or
/// a line (XML, CSV); both may be absent for whole-file problems.
struct InputPosition {
    std::optional<std::uint64_t> byte_offset;
    std::optional<std::uint64_t> line;
};

/// An input that could not be read at all. The message names the source, the
/// position and what was expected, e.g.
/// "run.fit: byte 771: file CRC 0x1234 does not match computed 0xabcd".
class ReadError : public std::runtime_error {
public:
    ReadError(std::string source, InputPosition where, const std::string& problem);

    const std::string& source() const noexcept { return m_source; }
    const InputPosition& where() const noexcept { return m_where; }
    /// The problem alone, without source and position.
    const std::string& problem() const noexcept { return m_problem; }

private:
    std::string m_source;
    InputPosition m_where;
    std::string m_problem;
};

/// An I/O or safety-limit failure below the readers (open, read, decompress).
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What a reader made of one input.
struct ReadResult {
    std::vector<ActivityFeatures> activities;
    /// Non-empty when the input is well-formed but holds no activity on
    /// purpose (a FIT settings file, a TCX course): why it was skipped.
    std::string skipped;
    /// Non-fatal problems worth telling the user (flags carry the gist).
    std::vector<std::string> warnings;
};

class Reader {
public:
    Reader() = default;
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    virtual ~Reader() = default;

    virtual std::string_view name() const noexcept = 0;        ///< "fit", "tcx", "gpx"
    virtual std::string_view description() const noexcept = 0; ///< one line for `formats`
    virtual std::string_view extensions() const noexcept = 0;  ///< ".fit", for ties and help
    /// The value the reader's activities carry (ActivityFeatures::format) and
    /// the feature cache stores; one reader per value (model/activity.hpp).
    virtual Format format() const noexcept = 0;

    /// How sure the reader is that `head` (the first bytes) starts its
    /// format: 0 = not this format, 100 = certain. `file_name` only breaks ties.
    virtual int identify(std::span<const std::uint8_t> head,
                         std::string_view file_name) const noexcept = 0;

    /// Reads the whole stream. Throws ReadError when nothing usable is in it.
    virtual ReadResult read(ByteStream& in, const std::string& source) const = 0;

    /// `validate`'s strict check of a file this reader identified (a schema, the
    /// protocol's CRCs), beyond what read() needs; none by default, and then
    /// `validate` reports what the scan makes of the file. `schemas_dir` holds
    /// the XSDs of schemas/.
    virtual std::optional<ValidationReport> validate(const std::string& /*path*/,
                                                     std::span<const std::uint8_t> /*head*/,
                                                     const std::string& /*schemas_dir*/) const {
        return std::nullopt;
    }
};

class ReaderRegistry {
public:
    /// Throws std::logic_error when a reader of that name or format value is
    /// already registered.
    void add(std::unique_ptr<Reader> reader);
    /// The most confident reader for `head`, or nullptr if none claims it.
    const Reader* identify(std::span<const std::uint8_t> head, std::string_view file_name) const;
    const Reader* find(std::string_view name) const;
    /// The reader whose activities carry `format`, or nullptr.
    const Reader* find(Format format) const;
    const std::vector<std::unique_ptr<Reader>>& readers() const noexcept { return m_readers; }

private:
    std::vector<std::unique_ptr<Reader>> m_readers;
};

/// Registers every reader, one line each, in a deliberate order (the order
/// breaks ties between equally confident readers).
void register_all(ReaderRegistry& registry);

/// The readers every command and the pipeline use: register_all()'s, built on
/// first use. A reader added here before the first scan (a test's format, a
/// program embedding the library) is read, cached, named and validated like
/// the built-in ones. Not to be changed once scans run.
ReaderRegistry& default_readers();

/// The name of the reader of `format` ("fit"), "unknown" when none has it.
std::string_view format_name(Format format);

} // namespace ultrastrength

#endif
