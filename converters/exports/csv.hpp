// A small RFC 4180 CSV parser for export index files (Strava's
// activities.csv): quoted fields with commas, doubled quotes and line
// breaks inside, CRLF or LF rows, a leading UTF-8 BOM. Written here because
// no Debian -dev package offers a plain C++ CSV parser that handles quoted
// multiline fields; it is ~60 lines and works on bytes, so any encoding
// passes through unchanged.
#ifndef ULTRASTRENGTH_CONVERTERS_EXPORTS_CSV_HPP
#define ULTRASTRENGTH_CONVERTERS_EXPORTS_CSV_HPP

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ultrastrength {

using CsvRow = std::vector<std::string>;

struct CsvTable {
    std::vector<CsvRow> rows;
    /// Set when a quoted field is still open at the end: the 1-based line
    /// where it began.
    std::optional<std::size_t> unterminated_quote_line;
};

CsvTable parse_csv(std::string_view text);

class ByteStream;

/// Reads a CSV stream one record at a time with bounded memory, whatever the
/// input: a field keeps at most `max_field_bytes` (the rest is dropped and
/// counted in truncated()), a record at most `max_fields` fields.
class CsvReader {
public:
    explicit CsvReader(ByteStream& in, std::size_t max_field_bytes = 64 * 1024,
                       std::size_t max_fields = 4096);
    /// The next record into `row`; false at the end of the stream.
    bool next(CsvRow& row);
    /// Set when a quoted field was still open at the end: the 1-based line
    /// where it began.
    std::optional<std::size_t> unterminated_quote_line() const { return m_unterminated; }
    std::size_t truncated() const { return m_truncated; }

private:
    int get();
    ByteStream& m_in;
    std::size_t m_max_field;
    std::size_t m_max_fields;
    std::vector<unsigned char> m_buffer;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    bool m_first = true;
    std::size_t m_line = 1;
    std::size_t m_truncated = 0;
    std::optional<std::size_t> m_unterminated;
};

/// Column lookup by header name, keeping repeated names apart: Strava's
/// header has "Distance" twice (display units first, metres second).
class CsvHeader {
public:
    explicit CsvHeader(const CsvRow& header);
    /// Column of the `occurrence`-th (0-based) column called `name`.
    std::optional<std::size_t> find(std::string_view name, std::size_t occurrence = 0) const;
    /// The first of `names` that is present (localised header variants).
    std::optional<std::size_t> find_any(std::initializer_list<std::string_view> names) const;

private:
    CsvRow m_names;
};

} // namespace ultrastrength

#endif
