#include "plugins/prescription.hpp"

#include <charconv>
#include <cmath>
#include <set>

namespace ultrastrength::detail {

std::uint64_t fnv1a64(std::string_view text) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::string slug(std::string_view text, std::size_t max_chars) {
    std::string out;
    bool dash = false;
    for (const char raw : text) {
        const auto c = static_cast<unsigned char>(raw);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && !out.empty()) {
                out += '-';
            }
            dash = false;
            out += static_cast<char>(c);
        } else if (c >= 'A' && c <= 'Z') {
            if (dash && !out.empty()) {
                out += '-';
            }
            dash = false;
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            dash = true;
        }
        if (out.size() >= max_chars) {
            break;
        }
    }
    out.resize(std::min(out.size(), max_chars));
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    std::size_t end = max_bytes;
    // Step back over continuation bytes (10xxxxxx) to the start of a sequence.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return std::string(text.substr(0, end));
}

std::string short_label(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    std::string_view out = text;
    if (out.back() == ')') {
        if (const auto open = out.rfind(" ("); open != std::string_view::npos && open > 0) {
            out = out.substr(0, open);
        }
    }
    while (out.size() > max_bytes) {
        const auto space = out.substr(0, max_bytes + 1).rfind(' ');
        if (space == std::string_view::npos || space == 0) {
            return truncate_utf8(out, max_bytes);
        }
        out = out.substr(0, space);
    }
    // A cut title should not end on a joining word ("Mid strength: Heavy and").
    static constexpr std::string_view joiners[] = {"and", "or", "with", "of",
                                                   "the", "&",  "+",    "\u2013"};
    for (bool again = true; again;) {
        again = false;
        while (!out.empty() && (out.back() == ' ' || out.back() == '-' || out.back() == ',' ||
                                out.back() == ':' || out.back() == ';')) {
            out.remove_suffix(1);
        }
        const auto space = out.rfind(' ');
        if (space == std::string_view::npos) {
            break;
        }
        for (const auto joiner : joiners) {
            if (out.substr(space + 1) == joiner) {
                out = out.substr(0, space);
                again = true;
                break;
            }
        }
    }
    return std::string(out);
}

std::string format_decimal(double value, int max_decimals) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value,
                                      std::chars_format::fixed, max_decimals);
    std::string out(buffer, result.ptr);
    if (out.find('.') != std::string::npos) {
        while (out.back() == '0') {
            out.pop_back();
        }
        if (out.back() == '.') {
            out.pop_back();
        }
    }
    if (out == "-0") {
        out = "0";
    }
    return out;
}

std::string format_load(double load_kg, WeightUnit unit) {
    if (unit == WeightUnit::pound) {
        // 1 lb = 0.45359237 kg exactly (international pound).
        const double pounds = std::round(load_kg / 0.45359237 * 2.0) / 2.0;
        return format_decimal(pounds, 1) + " lb";
    }
    return format_decimal(load_kg, 2) + " kg";
}

std::string set_dose(const PlanStep& step) {
    std::string out;
    if (step.reps) {
        out = std::to_string(*step.reps);
    } else if (step.seconds) {
        out = std::to_string(*step.seconds) + " s";
    } else {
        out = "until done";
    }
    if (step.per_side) {
        out += "/side";
    }
    return out;
}

std::string intensity_text(const PlanStep& step, WeightUnit unit) {
    std::string out;
    auto add = [&out](const std::string& part) {
        if (!out.empty()) {
            out += ", ";
        }
        out += part;
    };
    if (step.load_kg) {
        add(format_load(*step.load_kg, unit));
    }
    if (step.percent_1rm) {
        add(format_decimal(*step.percent_1rm, 1) + "% 1RM");
    }
    if (step.reps_in_reserve) {
        add("RIR " + std::to_string(*step.reps_in_reserve));
    }
    return out;
}

std::string step_line(const PlanStep& step, int sets, WeightUnit unit) {
    std::string out = step.name + " \u2013 ";
    if (sets > 1) {
        out += std::to_string(sets) + " \u00d7 ";
    }
    out += set_dose(step);
    if (const auto intensity = intensity_text(step, unit); !intensity.empty()) {
        out += " @ " + intensity;
    }
    if (step.rest_s > 0) {
        out += ", rest " + std::to_string(step.rest_s) + " s";
    }
    return out;
}

std::string block_heading(const PlanBlock& block) {
    return block.corrective_in_rests
               ? "heavy, with the corrective exercises in its rests (each lift, then the "
                 "corrective ones after it)"
               : std::string(to_string(block.group));
}

std::string block_label(std::size_t block_index) {
    std::string out;
    std::size_t n = block_index + 1;
    while (n > 0) {
        --n;
        out.insert(out.begin(), static_cast<char>('A' + n % 26));
        n /= 26;
    }
    return out;
}

std::vector<std::string> step_sheet_lines(const PlanStep& step, WeightUnit unit) {
    std::vector<std::string> out;
    if (step.load_kg) {
        out.push_back("Load: " + format_load(*step.load_kg, unit) +
                      (step.load_rule.empty() ? std::string() : "; " + step.load_rule));
    } else if (!step.load_rule.empty()) {
        out.push_back("Load: " + step.load_rule);
    }
    if (!step.effort.empty()) {
        out.push_back("Effort: " + step.effort);
    }
    if (!step.tempo.empty()) {
        out.push_back("Tempo: " + step.tempo);
    }
    if (!step.cue.empty()) {
        out.push_back("Cue: " + step.cue);
    }
    if (!step.easier.empty() || !step.harder.empty()) {
        std::string swaps;
        if (!step.easier.empty()) {
            swaps = "Easier: " + step.easier;
        }
        if (!step.harder.empty()) {
            swaps += (swaps.empty() ? "" : " \u00b7 ") + std::string("Harder: ") + step.harder;
        }
        out.push_back(swaps);
    }
    return out;
}

std::string step_note(const PlanStep& step, WeightUnit unit, std::size_t max_bytes, NoteName name) {
    std::string dose = set_dose(step);
    if (const auto intensity = intensity_text(step, unit); !intensity.empty()) {
        dose += " @ " + intensity;
    }
    if (step.seconds && step.per_side) {
        dose += ", switch sides halfway";
    }
    if (step.reps && step.per_side) {
        // The step's rep target counts both sides (the watch counts every rep).
        dose += ", " + std::to_string(2 * *step.reps) + " reps in all";
    }
    std::string out = name == NoteName::first ? step.name + ": " + dose : dose;
    if (out.size() > max_bytes) {
        return truncate_utf8(out, max_bytes);
    }
    std::vector<std::string> parts;
    if (name == NoteName::after_dose) {
        parts.push_back(step.name);
    }
    parts.push_back(step.cue);
    parts.push_back(step.effort.empty() ? std::string() : "Effort: " + step.effort);
    parts.push_back(step.tempo.empty() ? std::string() : "Tempo: " + step.tempo);
    parts.push_back(step.load_kg || step.load_rule.empty() ? std::string()
                                                           : "Load: " + step.load_rule);
    parts.push_back(step.easier.empty() ? std::string() : "Easier: " + step.easier);
    for (const auto& part : parts) {
        if (part.empty()) {
            continue;
        }
        if (out.size() + 2 + part.size() <= max_bytes) {
            out += ". " + part;
        } else if (part == step.cue) {
            // The cue is what the athlete needs most on the watch: cut it at a
            // word rather than lose it, when a useful part of it fits.
            if (out.size() + 2 + 16 <= max_bytes) {
                out += ". " + short_label(part, max_bytes - out.size() - 2);
            }
        }
    }
    return out;
}

std::string_view weekday_text(CivilDate date) {
    static constexpr std::string_view names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                 "Friday", "Saturday", "Sunday"};
    // 1970-01-01, day 0, was a Thursday.
    const auto day = days_from_civil(date);
    return names[static_cast<std::size_t>(((day % 7) + 7 + 3) % 7)];
}

std::string session_sheet(const PlanSession& session, WeightUnit unit, bool verbose) {
    std::string out = std::string(weekday_text(session.date)) + ' ' + format_date(session.date) +
                      " \u00b7 " + std::string(to_string(session.phase)) + " phase \u00b7 " +
                      session.kind;
    if (session.estimated_minutes > 0) {
        out += " \u00b7 about " + std::to_string(session.estimated_minutes) + " min";
    }
    out += '\n';
    if (!session.warmup.empty()) {
        out += "\nWarm-up: " + session.warmup + '\n';
    }
    auto sheet = [&](const PlanStep& step) {
        for (const auto& line : step_sheet_lines(step, unit)) {
            out += "   " + line + '\n';
        }
    };
    for (std::size_t b = 0; b < session.blocks.size(); ++b) {
        const auto& block = session.blocks[b];
        const auto label = block_label(b);
        out += '\n';
        if (block.steps.size() == 1) {
            out += label + "  " + step_line(block.steps.front(), block.sets, unit) + '\n';
            sheet(block.steps.front());
            continue;
        }
        out += label + "  " + block_heading(block);
        if (block.sets > 1) {
            out += ", " + std::to_string(block.sets) + " rounds of:";
        }
        out += '\n';
        for (std::size_t s = 0; s < block.steps.size(); ++s) {
            const auto& step = block.steps[s];
            out += label + std::to_string(s + 1) + " " + step_line(step, 1, unit) + '\n';
            sheet(step);
        }
    }
    if (!session.cooldown.empty()) {
        out += "\nCool-down: " + session.cooldown + '\n';
    }
    const auto& why = session.why.empty() ? session.reasons : session.why;
    if (!why.empty()) {
        out += "\nWhy:\n";
        for (const auto& reason : why) {
            out += "- " + reason + '\n';
        }
    }
    if (verbose && !session.why.empty() && !session.reasons.empty()) {
        out += "\nRules applied:\n";
        for (const auto& reason : session.reasons) {
            out += "- " + reason + '\n';
        }
    }
    return out;
}

std::string prescription_text(const Plan& plan, const PlanSession& session, WeightUnit unit) {
    std::string out = session.title + '\n';
    if (!plan.athlete_name.empty()) {
        out += "Athlete: " + plan.athlete_name + '\n';
    }
    return out + session_sheet(session, unit);
}

std::vector<std::string> session_file_stems(const Plan& plan) {
    std::vector<std::string> stems;
    std::set<std::string> used;
    for (const auto& session : plan.sessions) {
        auto kind = slug(session.kind, 21);
        if (kind.empty()) {
            kind = "strength";
        }
        const std::string base = format_date(session.date) + '_' + kind;
        std::string stem = base;
        for (int n = 2; used.count(stem) != 0; ++n) {
            stem = base + '-' + std::to_string(n);
        }
        used.insert(stem);
        stems.push_back(stem);
    }
    return stems;
}

std::string athlete_stem(const Plan& plan) {
    auto out = slug(plan.athlete_id, 32);
    if (out.empty()) {
        out = slug(plan.athlete_name, 32);
    }
    return out.empty() ? std::string("athlete") : out;
}

} // namespace ultrastrength::detail
