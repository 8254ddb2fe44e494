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
