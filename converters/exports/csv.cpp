#include "converters/exports/csv.hpp"

#include "converters/stream.hpp"

namespace ultrastrength {

CsvReader::CsvReader(ByteStream& in, std::size_t max_field_bytes, std::size_t max_fields)
    : m_in(in), m_max_field(max_field_bytes), m_max_fields(max_fields), m_buffer(64 * 1024) {}

int CsvReader::get() {
    if (m_pos == m_end) {
        m_end = m_in.read(m_buffer.data(), m_buffer.size());
        m_pos = 0;
        if (m_end == 0) {
            return -1;
        }
        if (m_first) {
            m_first = false;
            if (m_end >= 3 && m_buffer[0] == 0xEF && m_buffer[1] == 0xBB && m_buffer[2] == 0xBF) {
                m_pos = 3;
                return get();
            }
        }
    }
    return m_buffer[m_pos++];
}

bool CsvReader::next(CsvRow& row) {
    row.clear();
    std::string field;
    bool quoted = false;      // inside a quoted field
    bool row_started = false; // something seen on this record
    std::size_t quote_line = 0;
    bool cut = false; // this field lost bytes past m_max_field
    auto add = [&](char c) {
        if (field.size() < m_max_field) {
            field += c;
        } else {
            cut = true;
        }
    };
    auto end_field = [&] {
        m_truncated += cut ? 1 : 0;
        cut = false;
        if (row.size() < m_max_fields) {
            row.push_back(std::move(field));
        } else {
            ++m_truncated;
        }
        field.clear();
    };
    for (int c = get();; c = get()) {
        if (c < 0) {
            if (quoted) {
                m_unterminated = quote_line;
            }
            if (row_started || !field.empty()) {
                end_field();
                return true;
            }
            return false;
        }
        if (quoted) {
            if (c == '"') {
                const int following = get();
                if (following == '"') {
                    add('"');
                    continue;
                }
                quoted = false;
                if (following < 0) {
                    continue;
                }
                --m_pos; // look at it again outside the quotes
                continue;
            }
            m_line += c == '\n' ? 1 : 0;
            add(static_cast<char>(c));
            continue;
        }
        switch (c) {
        case '"':
            quoted = true;
            quote_line = m_line;
            row_started = true;
            break;
        case ',':
            end_field();
            row_started = true;
            break;
        case '\r':
            break; // CRLF rows; a bare CR inside a field is dropped too
        case '\n':
            ++m_line;
            if (row_started || !field.empty()) {
                end_field();
                return true;
            }
            break;
        default:
            add(static_cast<char>(c));
            row_started = true;
        }
    }
}

CsvTable parse_csv(std::string_view text) {
    MemoryStream in({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    CsvReader reader(in, text.size() + 1, text.size() + 1);
    CsvTable table;
    CsvRow row;
    while (reader.next(row)) {
        table.rows.push_back(std::move(row));
    }
    table.unterminated_quote_line = reader.unterminated_quote_line();
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
