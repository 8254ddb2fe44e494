#include "converters/exports/csv.hpp"

namespace ultrastrength {

CsvTable parse_csv(std::string_view text) {
    CsvTable table;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    CsvRow row;
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool row_started = false; // something seen on this row
    std::size_t line = 1;
    std::size_t quote_line = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                line += c == '\n' ? 1 : 0;
                field += c;
            }
            continue;
        }
        switch (c) {
        case '"':
            quoted = true;
            quote_line = line;
            row_started = true;
            break;
        case ',':
            row.push_back(std::move(field));
            field.clear();
            row_started = true;
            break;
        case '\r':
            break; // CRLF rows; a bare CR inside a field is dropped too
        case '\n':
            ++line;
            if (row_started || !field.empty()) {
                row.push_back(std::move(field));
                table.rows.push_back(std::move(row));
            }
            field.clear();
            row.clear();
            row_started = false;
            break;
        default:
            field += c;
            row_started = true;
        }
    }
    if (quoted) {
        table.unterminated_quote_line = quote_line;
    }
    if (row_started || !field.empty()) {
        row.push_back(std::move(field));
        table.rows.push_back(std::move(row));
    }
    return table;
}

CsvHeader::CsvHeader(const CsvRow& header) : m_names(header) {
    for (auto& name : m_names) {
        // Tolerate stray spaces around names ("Activity ID, Activity Date").
        const auto first = name.find_first_not_of(' ');
        const auto last = name.find_last_not_of(' ');
        name = first == std::string::npos ? std::string() : name.substr(first, last - first + 1);
    }
}

std::optional<std::size_t> CsvHeader::find(std::string_view name, std::size_t occurrence) const {
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        if (m_names[i] == name && occurrence-- == 0) {
            return i;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t>
CsvHeader::find_any(std::initializer_list<std::string_view> names) const {
    for (const auto name : names) {
        if (auto column = find(name)) {
            return column;
        }
    }
    return std::nullopt;
}

} // namespace ultrastrength
