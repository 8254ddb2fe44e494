// The streaming XML layer shared by the TCX and GPX readers: libxml2's SAX2
// parser pulling chunks from a ByteStream, so memory does not grow with
// the file (a 70 MB TCX is read in well under 32 MiB). It also holds the
// rules every XML input gets:
//   - identify: root element in the first KiB, after a BOM, whitespace, the
//     XML declaration, comments and processing instructions; UTF-16 with a
//     byte-order mark is identified and handed to libxml2, which decodes it;
//   - a UTF-8 BOM and leading whitespace are skipped (Strava writes ten
//     spaces before `<?xml`, input-formats.md §2 defect 1);
//   - an undeclared namespace prefix is tolerated and reported (Strava
//     Android `gpxdata:`, input-formats.md §3): such elements come with no
//     namespace and the readers ignore them;
//   - hostile input is refused with the line: any DOCTYPE (so no DTD, no
//     external entity and no entity expansion can happen), nesting deeper
//     than max_depth, captured text longer than max_text_bytes; the network
//     is never used (XML_PARSE_NONET) and entities are never substituted.
#ifndef ULTRASTRENGTH_CONVERTERS_XML_XML_SAX_HPP
#define ULTRASTRENGTH_CONVERTERS_XML_XML_SAX_HPP

#include "converters/reader.hpp"
#include "converters/stream.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ultrastrength::detail {

/// The attributes of one start tag, as libxml2 hands them over (5 pointers
/// per attribute: local name, prefix, URI, value begin, value end).
class XmlAttributes {
public:
    XmlAttributes(const unsigned char* const* raw, int count) noexcept
        : m_raw(raw), m_count(count) {}
    /// The value of the attribute without namespace named `local`.
    std::optional<std::string_view> find(std::string_view local) const noexcept;

private:
    const unsigned char* const* m_raw;
    int m_count;
};

class XmlHandler {
public:
    XmlHandler() = default;
    XmlHandler(const XmlHandler&) = delete;
    XmlHandler& operator=(const XmlHandler&) = delete;
    virtual ~XmlHandler() = default;

    /// `uri` is empty for elements without (or with an undeclared) namespace.
    /// Returns true to have the element's text collected and passed to end_element().
    virtual bool start_element(std::string_view uri, std::string_view local,
                               const XmlAttributes& attributes) = 0;
    /// `text` is the element's text when start_element() asked for it, else empty.
    virtual void end_element(std::string_view text) = 0;
};

/// What the parse noticed besides the elements.
struct XmlParseInfo {
    bool leading_whitespace = false;       ///< whitespace before the XML declaration was skipped
    bool byte_order_mark = false;          ///< a UTF-8 BOM was skipped
    bool undeclared_prefix = false;        ///< an element or attribute used an undeclared prefix
    std::string undeclared_prefix_message; ///< libxml2's first message about it, with line
    /// The input ended inside the document (an interrupted download or
    /// copy). parse() then returns instead of throwing, so that a reader can
    /// keep the complete points it has and flag the rest as lost.
    bool truncated = false;
    std::string truncation_problem; ///< what libxml2 expected
    std::uint64_t truncation_line = 0;
};

/// Limits for hostile input; real TCX/GPX files nest 8 deep and have short texts.
struct XmlLimits {
    std::size_t max_depth = 128;
    std::size_t max_text_bytes = 4096;
};

/// Parses `in` to the end, calling `handler`. Throws ReadError naming
/// `source` and the line for anything that is not well-formed XML or breaks
/// a limit; a handler stops the parse with XmlParser::fail().
class XmlParser {
public:
    XmlParser(XmlHandler& handler, std::string source, XmlLimits limits = {});
    ~XmlParser();
    XmlParser(const XmlParser&) = delete;
    XmlParser& operator=(const XmlParser&) = delete;

    /// Throws ReadError for anything but a document cut short (see XmlParseInfo::truncated).
    XmlParseInfo parse(ByteStream& in);
    /// Stops the parse; parse() then throws a ReadError with this problem and the current line.
    void fail(std::string problem);
    /// The line being parsed (1-based), for warnings.
    std::uint64_t line() const noexcept;

    struct Impl;

private:
    Impl* m_impl;
};

/// 100 if the first bytes are XML whose root element's local name is `root`
/// (within the first KiB, after BOM, whitespace, declaration, comments), else 0.
/// UTF-16 with a byte-order mark is seen through.
int identify_xml_root(std::span<const std::uint8_t> head, std::string_view root) noexcept;

enum class Utf16 : std::uint8_t { none, little_endian, big_endian };
/// The UTF-16 byte order the first two bytes (a byte-order mark) announce.
Utf16 utf16_bom(std::span<const std::uint8_t> head) noexcept;
/// The first `limit` characters of an XML head as 8-bit text: as is, or
/// for UTF-16 each ASCII code unit as its byte (others as 0x80), so that
/// markup and namespaces can be searched for.
std::string xml_head_text(std::span<const std::uint8_t> head, std::size_t limit = 4096);

/// For a document cut short: flags the last activity as truncated and warns,
/// or throws the ReadError when nothing was read before the cut.
void apply_truncation(const XmlParseInfo& info, const std::string& source, ReadResult& result);

/// The read() of every XML reader: parse `in` with a format's handler, then
/// keep what a cut-short document held.
template <class Handler> ReadResult read_xml(ByteStream& in, const std::string& source) {
    Handler handler(source);
    XmlParser parser(handler, source);
    handler.set_parser(&parser);
    const XmlParseInfo info = parser.parse(in);
    ReadResult result = handler.result(info);
    apply_truncation(info, source, result);
    return result;
}

/// Parses a decimal number as XML Schema writes it (surrounding whitespace allowed).
std::optional<double> parse_xml_double(std::string_view text) noexcept;

} // namespace ultrastrength::detail

#endif
