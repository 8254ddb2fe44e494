#include "converters/xml/xml_sax.hpp"

#include "converters/reader.hpp"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <vector>

namespace ultrastrength::detail {

namespace {

// 64 KiB read from the ByteStream at a time (libxml2 asks for ~4 KB per
// call; serving those from our buffer keeps system calls few), small enough
// to stay in L2.
constexpr std::size_t chunk_bytes = 64 * 1024;

bool is_xml_space(std::uint8_t c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view as_view(const xmlChar* s) noexcept {
    return s == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(s));
}

std::string trim_message(const char* message) {
    std::string text = message == nullptr ? std::string("unknown XML error") : std::string(message);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

} // namespace

std::optional<std::string_view> XmlAttributes::find(std::string_view local) const noexcept {
    for (int i = 0; i < m_count; ++i) {
        const unsigned char* const* a = m_raw + 5 * i;
        if (a[2] == nullptr && as_view(a[0]) == local) {
            return std::string_view(reinterpret_cast<const char*>(a[3]),
                                    static_cast<std::size_t>(a[4] - a[3]));
        }
    }
    return std::nullopt;
}

struct XmlParser::Impl {
    XmlHandler& handler;
    std::string source;
    XmlLimits limits;
    xmlParserCtxtPtr ctxt = nullptr;
    XmlParseInfo info;

    std::size_t depth = 0;
    // Per open element: whether its text is being collected.
    std::vector<bool> capture_stack;
    std::string text;
    bool capturing = false;

    bool failed = false;
    bool failed_at_end = false; // libxml2 failed at the end of the input
    std::string open_element;   // the innermost open element when it failed there
    std::string problem;

    // The input, pulled by libxml2 through on_read().
    ByteStream* in = nullptr;
    std::vector<std::uint8_t> buffer;
    std::size_t buffer_pos = 0;
    std::size_t buffer_end = 0;
    bool input_ended = false;
    std::exception_ptr read_error; // from the ByteStream, rethrown after the parse
    std::uint64_t problem_line = 0;
    std::string generic_message; // libxml2's unstructured messages, never printed

    __attribute__((format(printf, 2, 3))) static void on_generic(void* user, const char* format,
                                                                 ...) {
        Impl& p = self(user);
        if (p.generic_message.size() > 1024) {
            return;
        }
        char piece[512];
        va_list args;
        va_start(args, format);
        std::vsnprintf(piece, sizeof piece, format, args);
        va_end(args);
        p.generic_message += piece;
    }

    Impl(XmlHandler& h, std::string s, XmlLimits l) : handler(h), source(std::move(s)), limits(l) {}

    // Lines of leading whitespace skipped before the parser saw the first byte.
    std::uint64_t line_offset = 0;

    std::uint64_t current_line() const noexcept {
        return ctxt != nullptr && ctxt->input != nullptr ? to_file_line(ctxt->input->line) : 0;
    }
    std::uint64_t to_file_line(int parser_line) const noexcept {
        return parser_line > 0 ? static_cast<std::uint64_t>(parser_line) + line_offset : 0;
    }

    void fail(std::string what, std::uint64_t line) {
        if (failed) {
            return;
        }
        failed = true;
        problem = std::move(what);
        problem_line = line;
        if (ctxt != nullptr) {
            xmlStopParser(ctxt);
        }
    }

    static Impl& self(void* user) { return *static_cast<Impl*>(user); }

    static void on_start(void* user, const xmlChar* local, const xmlChar* /*prefix*/,
                         const xmlChar* uri, int /*nb_namespaces*/, const xmlChar** /*namespaces*/,
                         int nb_attributes, int /*nb_defaulted*/, const xmlChar** attributes) {
        Impl& p = self(user);
        if (p.failed) {
            return;
        }
        if (++p.depth > p.limits.max_depth) {
            p.fail("elements nested deeper than " + std::to_string(p.limits.max_depth) +
                       " levels; expected a TCX or GPX document (at most a dozen levels)",
                   p.current_line());
            return;
        }
        const XmlAttributes attrs(attributes, nb_attributes);
        const bool capture = p.handler.start_element(as_view(uri), as_view(local), attrs);
        p.capture_stack.push_back(capture);
        p.capturing = capture;
        p.text.clear();
    }

    static void on_end(void* user, const xmlChar* /*local*/, const xmlChar* /*prefix*/,
                       const xmlChar* /*uri*/) {
        Impl& p = self(user);
        if (p.failed || p.capture_stack.empty()) {
            return;
        }
        const bool captured = p.capture_stack.back();
        p.capture_stack.pop_back();
        --p.depth;
        p.handler.end_element(captured ? std::string_view(p.text) : std::string_view{});
        p.text.clear();
        // Text of a parent after a child element is not collected: the
        // fields read are all leaf elements.
        p.capturing = false;
    }

    static void on_characters(void* user, const xmlChar* chars, int length) {
        Impl& p = self(user);
        if (!p.capturing || p.failed) {
            return;
        }
        if (p.text.size() + static_cast<std::size_t>(length) > p.limits.max_text_bytes) {
            p.fail("element text longer than " + std::to_string(p.limits.max_text_bytes) +
                       " bytes where a number, time or short name was expected",
                   p.current_line());
            return;
        }
        p.text.append(reinterpret_cast<const char*>(chars), static_cast<std::size_t>(length));
    }

    // libxml2's read callback: serves the buffer, refilled from the stream.
    // An exception must not cross libxml2's C frames, so it is kept and
    // rethrown once the parse has returned.
    static int on_read(void* user, char* out, int size) {
        Impl& p = self(user);
        if (p.buffer_pos == p.buffer_end && !p.input_ended && !p.read_error) {
            try {
                p.buffer_end = p.in->read(p.buffer.data(), p.buffer.size());
            } catch (...) {
                p.read_error = std::current_exception();
                p.buffer_end = 0;
            }
            p.buffer_pos = 0;
            p.input_ended = p.buffer_end == 0 && !p.read_error;
        }
        if (p.read_error) {
            return -1;
        }
        const std::size_t n = std::min(static_cast<std::size_t>(size), p.buffer_end - p.buffer_pos);
        std::memcpy(out, p.buffer.data() + p.buffer_pos, n);
        p.buffer_pos += n;
        return static_cast<int>(n);
    }

    // Any DOCTYPE is refused: TCX and GPX never carry one, and refusing it
    // rules out external entities, DTD loading and entity expansion
    // ("billion laughs") in one place.
    static void on_internal_subset(void* user, const xmlChar* name, const xmlChar* /*external_id*/,
                                   const xmlChar* /*system_id*/) {
        Impl& p = self(user);
        p.fail("document type declaration <!DOCTYPE " + std::string(as_view(name)) +
                   "> refused (DTDs and entities are not accepted in TCX/GPX)",
               p.current_line());
    }

    static void on_entity_decl(void* user, const xmlChar* name, int /*type*/,
                               const xmlChar* /*public_id*/, const xmlChar* /*system_id*/,
                               xmlChar* /*content*/) {
        Impl& p = self(user);
        p.fail("entity declaration '" + std::string(as_view(name)) + "' refused", p.current_line());
    }

    static void on_error(void* user, xmlErrorPtr error) {
        Impl& p = self(user);
        if (error == nullptr || p.failed) {
            return;
        }
        if (error->domain == XML_FROM_NAMESPACE && error->code == XML_NS_ERR_UNDEFINED_NAMESPACE) {
            if (!p.info.undeclared_prefix) {
                p.info.undeclared_prefix = true;
                p.info.undeclared_prefix_message = "line " +
                                                   std::to_string(p.to_file_line(error->line)) +
                                                   ": " + trim_message(error->message);
            }
            return;
        }
        if (error->level == XML_ERR_FATAL ||
            (error->level == XML_ERR_ERROR && error->domain != XML_FROM_NAMESPACE)) {
            // The stream is exhausted and nothing after the error's position
            // closes a tag (libxml2 may report from the start of the unfinished
            // construct, e.g. an attribute value): the document was cut short,
            // not malformed.
            const xmlParserInputPtr input = p.ctxt != nullptr ? p.ctxt->input : nullptr;
            p.failed_at_end =
                p.input_ended && input != nullptr && input->cur != nullptr &&
                input->cur <= input->end &&
                std::memchr(input->cur, '>', static_cast<std::size_t>(input->end - input->cur)) ==
                    nullptr;
            if (p.failed_at_end && p.ctxt->name != nullptr) {
                p.open_element = std::string(as_view(p.ctxt->name));
            }
            p.fail("not well-formed XML: " + trim_message(error->message),
                   p.to_file_line(error->line));
        }
    }
};

XmlParser::XmlParser(XmlHandler& handler, std::string source, XmlLimits limits)
    : m_impl(new Impl(handler, std::move(source), limits)) {
    // libxml2 wants its global state set up once, from one thread, before
    // parallel use (readers run on several threads).
    static std::once_flag once;
    std::call_once(once, [] { xmlInitParser(); });
}

XmlParser::~XmlParser() {
    if (m_impl->ctxt != nullptr) {
        xmlFreeParserCtxt(m_impl->ctxt);
    }
    delete m_impl;
}

void XmlParser::fail(std::string problem) {
    m_impl->fail(std::move(problem), m_impl->current_line());
}

std::uint64_t XmlParser::line() const noexcept {
    return m_impl->current_line();
}

XmlParseInfo XmlParser::parse(ByteStream& in) {
    Impl& p = *m_impl;
    p.in = &in;
    p.buffer.resize(chunk_bytes);
    std::vector<std::uint8_t>& buffer = p.buffer;

    // Skip BOM and leading whitespace, which may span chunks in theory.
    std::size_t size = in.read(buffer.data(), buffer.size());
    std::size_t begin = 0;
    std::uint64_t skipped_lines = 0;
    const auto found_text = [](unsigned c) {
        if (c >= 0x20 && c < 0x7F) {
            return std::string("'") + static_cast<char>(c) + "'";
        }
        static constexpr char hex[] = "0123456789abcdef";
        std::string text = c > 0xFF ? "code unit 0x" : "byte 0x";
        for (int shift = c > 0xFF ? 12 : 4; shift >= 0; shift -= 4) {
            text += hex[(c >> shift) & 15];
        }
        return text;
    };
    const Utf16 order = utf16_bom(std::span(buffer.data(), size));
    if (order != Utf16::none) {
        // UTF-16 (input-formats.md §2, §3): libxml2 decodes it when it sees
        // the byte-order mark, so the mark is kept; whitespace after it (in
        // the first chunk) is skipped and the mark moved up to the '<'.
        p.info.byte_order_mark = true;
        const auto unit = [&](std::size_t at) -> unsigned {
            return order == Utf16::little_endian ? buffer[at] | (buffer[at + 1] << 8)
                                                 : (buffer[at] << 8) | buffer[at + 1];
        };
        std::size_t at = 2;
        while (at + 1 < size && unit(at) < 0x80 &&
               is_xml_space(static_cast<std::uint8_t>(unit(at)))) {
            p.info.leading_whitespace = true;
            skipped_lines += unit(at) == '\n' ? 1 : 0;
            at += 2;
        }
        if (at + 1 >= size) {
            throw ReadError(p.source, {std::nullopt, skipped_lines + 1},
                            "empty document: expected an XML declaration or a root element");
        }
        if (unit(at) != '<') {
            throw ReadError(p.source, {std::nullopt, skipped_lines + 1},
                            "expected '<' (an XML declaration or a root element), found " +
                                found_text(unit(at)));
        }
        buffer[at - 1] = buffer[1];
        buffer[at - 2] = buffer[0];
        begin = at - 2;
    } else {
        for (;;) {
            if (begin == size) {
                size = in.read(buffer.data(), buffer.size());
                begin = 0;
                if (size == 0) {
                    throw ReadError(p.source, {std::nullopt, std::uint64_t{1}},
                                    "empty document: expected an XML declaration or a root "
                                    "element");
                }
            }
            if (size - begin >= 3 && buffer[begin] == 0xEF && buffer[begin + 1] == 0xBB &&
                buffer[begin + 2] == 0xBF) {
                p.info.byte_order_mark = true;
                begin += 3;
            } else if (is_xml_space(buffer[begin])) {
                p.info.leading_whitespace = true;
                if (buffer[begin] == '\n') {
                    ++skipped_lines;
                }
                ++begin;
            } else {
                break;
            }
        }
        if (buffer[begin] != '<') {
            throw ReadError(p.source, {std::nullopt, skipped_lines + 1},
                            "expected '<' (an XML declaration or a root element), found " +
                                found_text(buffer[begin]));
        }
    }

    p.line_offset = skipped_lines;
    xmlSAXHandler sax;
    std::memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = &Impl::on_start;
    sax.endElementNs = &Impl::on_end;
    sax.characters = &Impl::on_characters;
    sax.cdataBlock = &Impl::on_characters;
    sax.internalSubset = &Impl::on_internal_subset;
    sax.entityDecl = &Impl::on_entity_decl;
    sax.serror = &Impl::on_error;

    // Pulled rather than pushed: libxml2's push mode re-checks for complete
    // constructs on every token, which cost 10-15 % more instructions on
    // bench/gen's TCX and GPX files (callgrind) for the same callbacks.
    p.buffer_pos = begin;
    p.buffer_end = size;
    p.ctxt = xmlCreateIOParserCtxt(&sax, &p, &Impl::on_read, nullptr, &p, XML_CHAR_ENCODING_NONE);
    if (p.ctxt == nullptr) {
        throw ReadError(p.source, {}, "cannot create an XML parser (out of memory)");
    }
    // NONET: never fetch anything. No NOENT (entities are not substituted),
    // no DTDLOAD/DTDATTR, no HUGE (libxml2 keeps its own size limits).
    xmlCtxtUseOptions(p.ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    p.ctxt->replaceEntities = 0;
    p.ctxt->loadsubset = 0;
    p.ctxt->validate = 0;

    // libxml2 prints some messages to stderr rather than to the structured
    // handler: they are kept (per thread, as libxml2 keeps the handler) and
    // only used as the reason when nothing else explains a failure.
    struct GenericScope {
        explicit GenericScope(Impl& impl) { xmlSetGenericErrorFunc(&impl, &Impl::on_generic); }
        ~GenericScope() { xmlSetGenericErrorFunc(nullptr, nullptr); }
        GenericScope(const GenericScope&) = delete;
        GenericScope& operator=(const GenericScope&) = delete;
    } generic(p);
    const int rc = xmlParseDocument(p.ctxt);
    if (p.read_error) {
        std::rethrow_exception(p.read_error);
    }
    if (rc != 0 && !p.failed) {
        const xmlError* e = xmlCtxtGetLastError(p.ctxt);
        p.fail("not well-formed XML: " + trim_message(e != nullptr ? e->message : nullptr),
               e != nullptr && e->line > 0 ? p.to_file_line(e->line) : p.current_line());
    }
    if (!p.failed && p.ctxt->wellFormed == 0) {
        const std::string reason = p.generic_message.substr(0, p.generic_message.find('\n'));
        p.fail(reason.empty() ? "not well-formed XML" : "not well-formed XML: " + reason,
               p.current_line());
    }
    if (p.failed && p.failed_at_end) {
        p.info.truncated = true;
        // libxml2 calls this "Extra content at the end of the document";
        // what happened is that the input stopped inside an element.
        p.info.truncation_problem = !p.open_element.empty()
                                        ? "the input ends inside <" + p.open_element +
                                              ">: the rest of the document is missing"
                                        : "the input ends before the root element is "
                                          "complete (" +
                                              p.problem + ")";
        p.info.truncation_line = p.problem_line;
        return p.info;
    }
    if (p.failed) {
        InputPosition where;
        if (p.problem_line > 0) {
            where.line = p.problem_line;
        }
        throw ReadError(p.source, where, p.problem);
    }
    return p.info;
}

Utf16 utf16_bom(std::span<const std::uint8_t> head) noexcept {
    if (head.size() >= 2 && head[0] == 0xFF && head[1] == 0xFE) {
        return Utf16::little_endian;
    }
    if (head.size() >= 2 && head[0] == 0xFE && head[1] == 0xFF) {
        return Utf16::big_endian;
    }
    return Utf16::none;
}

std::string xml_head_text(std::span<const std::uint8_t> head, std::size_t limit) {
    const Utf16 order = utf16_bom(head);
    if (order == Utf16::none) {
        const std::size_t n = std::min(head.size(), limit);
        return std::string(reinterpret_cast<const char*>(head.data()), n);
    }
    // Markup is ASCII: each code unit below 0x80 becomes its byte, any other
    // a byte no markup uses; enough to find the root element and namespaces.
    std::string text;
    for (std::size_t i = 2; i + 1 < head.size() && text.size() < limit; i += 2) {
        const unsigned unit = order == Utf16::little_endian ? head[i] | (head[i + 1] << 8)
                                                            : (head[i] << 8) | head[i + 1];
        text.push_back(unit < 0x80 ? static_cast<char>(unit) : '\x80');
    }
    return text;
}

int identify_xml_root(std::span<const std::uint8_t> head, std::string_view root) noexcept {
    if (utf16_bom(head) != Utf16::none) {
        try {
            const std::string narrow = xml_head_text(head, 1024);
            return identify_xml_root(
                std::span(reinterpret_cast<const std::uint8_t*>(narrow.data()), narrow.size()),
                root);
        } catch (...) {
            return 0; // out of memory for 1 KiB: not identified
        }
    }
    const std::size_t limit = std::min<std::size_t>(head.size(), 1024);
    const auto* data = reinterpret_cast<const char*>(head.data());
    const std::string_view text(data, limit);
    std::size_t i = 0;
    const auto skip_to = [&](std::string_view end) {
        const std::size_t at = text.find(end, i);
        i = at == std::string_view::npos ? text.size() : at + end.size();
    };
    while (i < text.size()) {
        const auto c = static_cast<std::uint8_t>(text[i]);
        if (c == 0xEF && text.substr(i, 3) == "\xEF\xBB\xBF") {
            i += 3;
        } else if (is_xml_space(c)) {
            ++i;
        } else if (text.substr(i, 2) == "<?") {
            skip_to("?>");
        } else if (text.substr(i, 4) == "<!--") {
            skip_to("-->");
        } else if (text.substr(i, 2) == "<!") {
            // A DOCTYPE (with or without an internal subset): identified here
            // so that the reader refuses it with a clear message instead of
            // the file being "unknown".
            const std::size_t bracket = text.find('[', i);
            const std::size_t close = text.find('>', i);
            skip_to(bracket < close ? "]>" : ">");
        } else if (c == '<') {
            std::size_t end = i + 1;
            while (end < text.size() && !is_xml_space(static_cast<std::uint8_t>(text[end])) &&
                   text[end] != '>' && text[end] != '/') {
                ++end;
            }
            std::string_view name = text.substr(i + 1, end - i - 1);
            if (const std::size_t colon = name.find(':'); colon != std::string_view::npos) {
                name.remove_prefix(colon + 1);
            }
            return name == root && end < text.size() ? 100 : 0;
        } else {
            return 0;
        }
    }
    return 0;
}

void apply_truncation(const XmlParseInfo& info, const std::string& source, ReadResult& result) {
    if (!info.truncated) {
        return;
    }
    InputPosition where;
    if (info.truncation_line > 0) {
        where.line = info.truncation_line;
    }
    if (result.activities.empty()) {
        throw ReadError(source, where, info.truncation_problem);
    }
    result.activities.back().set(Flag::truncated);
    result.skipped.clear();
    result.warnings.push_back("input ends early (line " + std::to_string(info.truncation_line) +
                              ": " + info.truncation_problem + "); the points before were kept");
}

namespace {

/// The common case of parse_xml_double: `-?digits(.digits)?` with at most 15
/// digits in all. The digits and the power of ten are then exact doubles, so
/// one division gives the correctly rounded value, the same as std::from_chars
/// (Clinger's fast path, which the fast_float code inside libstdc++ also takes
/// first; the call itself cost ~180 instructions per number, a tenth of
/// reading a trackpoint).
std::optional<double> parse_simple_decimal(std::string_view text) noexcept {
    static constexpr std::size_t max_digits = 15; // 10^15 < 2^53
    static constexpr std::array<double, max_digits + 1> powers = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* p = text.data();
    const char* const end = p + text.size();
    const bool negative = p != end && *p == '-';
    p += negative ? 1 : 0;
    std::uint64_t mantissa = 0;
    std::size_t digits = 0;
    const char* const int_begin = p;
    while (p != end && static_cast<unsigned>(*p - '0') < 10) {
        mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
        ++p;
    }
    digits = static_cast<std::size_t>(p - int_begin);
    if (digits == 0) {
        return std::nullopt;
    }
    std::size_t decimals = 0;
    if (p != end && *p == '.') {
        ++p;
        const char* const frac_begin = p;
        while (p != end && static_cast<unsigned>(*p - '0') < 10) {
            mantissa = mantissa * 10 + static_cast<unsigned>(*p - '0');
            ++p;
        }
        decimals = static_cast<std::size_t>(p - frac_begin);
        if (decimals == 0) {
            return std::nullopt;
        }
    }
    // A longer input may have wrapped the uint64 above (well defined); the
    // general parser reads it.
    if (p != end || digits + decimals > max_digits) {
        return std::nullopt;
    }
    const double value = static_cast<double>(mantissa) / powers[decimals];
    return negative ? -value : value;
}

} // namespace

std::optional<double> parse_xml_double(std::string_view text) noexcept {
    while (!text.empty() && is_xml_space(static_cast<std::uint8_t>(text.front()))) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_xml_space(static_cast<std::uint8_t>(text.back()))) {
        text.remove_suffix(1);
    }
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    if (const auto simple = parse_simple_decimal(text)) {
        return simple;
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || text.empty() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

} // namespace ultrastrength::detail
