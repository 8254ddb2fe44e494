#include "converters/dedupe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace ultrastrength {

namespace {

int sport_family(Sport sport) noexcept {
    switch (sport) {
    case Sport::running:
    case Sport::trail_running:
    case Sport::treadmill_running:
        return 0;
    case Sport::hiking:
    case Sport::walking:
        return 1;
    case Sport::cycling:
        return 2;
    case Sport::swimming:
        return 3;
    case Sport::strength:
        return 4;
    case Sport::other:
        break;
    }
    return 5;
}

/// The Format's own order (model/activity.hpp): FIT first, then TCX, GPX
/// and any reader added after them.
int format_rank(Format format) noexcept {
    return static_cast<int>(format);
}

double duration_s(const ActivityFeatures& a) noexcept {
    if (a.elapsed_s && *a.elapsed_s > 0) {
        return *a.elapsed_s;
    }
    if (a.timer_s && *a.timer_s > 0) {
        return *a.timer_s;
    }
    return a.moving_s && *a.moving_s > 0 ? *a.moving_s : 0.0;
}

} // namespace

bool same_activity(const ActivityFeatures& a, const ActivityFeatures& b) noexcept {
    if (!a.start_utc || !b.start_utc || sport_family(a.sport) != sport_family(b.sport)) {
        return false;
    }
    const auto start_a = static_cast<double>(*a.start_utc);
    const auto start_b = static_cast<double>(*b.start_utc);
    bool distance_ok = true;
    if (a.distance_m && b.distance_m && (*a.distance_m > 0 || *b.distance_m > 0)) {
        distance_ok = std::fabs(*a.distance_m - *b.distance_m) <=
                      max_distance_diff * std::max(*a.distance_m, *b.distance_m);
    }
    if (std::fabs(start_a - start_b) <= max_start_gap_s && distance_ok) {
        return true;
    }
    const double dur_a = duration_s(a);
    const double dur_b = duration_s(b);
    if (dur_a <= 0 || dur_b <= 0) {
        return false;
    }
    const double overlap = std::min(start_a + dur_a, start_b + dur_b) - std::max(start_a, start_b);
    return overlap > min_overlap_fraction * std::min(dur_a, dur_b);
}

bool richer(const ActivityFeatures& a, const ActivityFeatures& b) noexcept {
    if (format_rank(a.format) != format_rank(b.format)) {
        return format_rank(a.format) < format_rank(b.format);
    }
    // An intact copy beats a damaged one of the same format.
    const std::uint32_t damage = flag_bit(Flag::crc_mismatch) |
                                 flag_bit(Flag::header_crc_mismatch) | flag_bit(Flag::truncated) |
                                 flag_bit(Flag::desynchronized);
    const bool damaged_a = (a.flags & damage) != 0;
    const bool damaged_b = (b.flags & damage) != 0;
    if (damaged_a != damaged_b) {
        return damaged_b;
    }
    if (a.records != b.records) {
        return a.records > b.records;
    }
    return a.source < b.source;
}

std::vector<std::size_t> kept_copies(const std::vector<const ActivityFeatures*>& activities) {
    std::vector<std::size_t> parent(activities.size());
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    auto root = [&](std::size_t i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    };
    // Only activities starting before this one ends (or within the start
    // gap) can match, so the scan stays near-linear on a sorted history.
    for (std::size_t i = 0; i < activities.size(); ++i) {
        const auto start = static_cast<double>(*activities[i]->start_utc);
        const double reach = std::max(start + max_start_gap_s, start + duration_s(*activities[i]));
        for (std::size_t j = i + 1;
             j < activities.size() && static_cast<double>(*activities[j]->start_utc) <= reach;
             ++j) {
            if (same_activity(*activities[i], *activities[j])) {
                parent[root(j)] = root(i);
            }
        }
    }
    std::vector<std::size_t> best(activities.size(), SIZE_MAX);
    for (std::size_t i = 0; i < activities.size(); ++i) {
        const std::size_t r = root(i);
        if (best[r] == SIZE_MAX || richer(*activities[i], *activities[best[r]])) {
            best[r] = i;
        }
    }
    std::vector<std::size_t> kept(activities.size());
    for (std::size_t i = 0; i < activities.size(); ++i) {
        kept[i] = best[root(i)];
    }
    return kept;
}

std::size_t mark_duplicates(std::vector<InputOutcome>& outcomes) {
    struct Ref {
        std::size_t outcome;
        std::size_t activity;
        std::int64_t start;
    };
    std::vector<Ref> refs;
    for (std::size_t o = 0; o < outcomes.size(); ++o) {
        for (std::size_t i = 0; i < outcomes[o].activities.size(); ++i) {
            const auto& a = outcomes[o].activities[i];
            if (a.start_utc) {
                refs.push_back({o, i, *a.start_utc});
            }
        }
    }
    std::stable_sort(refs.begin(), refs.end(),
                     [](const Ref& x, const Ref& y) { return x.start < y.start; });
    auto feature = [&](const Ref& r) -> const ActivityFeatures& {
        return outcomes[r.outcome].activities[r.activity];
    };
    std::vector<const ActivityFeatures*> sorted;
    sorted.reserve(refs.size());
    for (const Ref& r : refs) {
        sorted.push_back(&feature(r));
    }
    const std::vector<std::size_t> kept_of = kept_copies(sorted);
    // Source of the kept copy for each dropped activity; empty = keep.
    std::vector<std::vector<std::string>> drop(outcomes.size());
    for (std::size_t o = 0; o < outcomes.size(); ++o) {
        drop[o].resize(outcomes[o].activities.size());
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < refs.size(); ++i) {
        const std::size_t keep = kept_of[i];
        if (keep == i) {
            continue;
        }
        drop[refs[i].outcome][refs[i].activity] = feature(refs[keep]).source;
        // A name from an export index (Strava, Garmin) survives the merge.
        auto& kept = outcomes[refs[keep].outcome].activities[refs[keep].activity];
        if (kept.name.empty()) {
            kept.name = feature(refs[i]).name;
        }
        ++count;
    }
    for (std::size_t o = 0; o < outcomes.size(); ++o) {
        auto& outcome = outcomes[o];
        if (std::all_of(drop[o].begin(), drop[o].end(), [](const auto& s) { return s.empty(); })) {
            continue;
        }
        std::vector<ActivityFeatures> kept;
        for (std::size_t i = 0; i < outcome.activities.size(); ++i) {
            if (drop[o][i].empty()) {
                kept.push_back(std::move(outcome.activities[i]));
            } else {
                outcome.duplicates.push_back(
                    {std::move(outcome.activities[i]), std::move(drop[o][i])});
            }
        }
        outcome.activities = std::move(kept);
        if (outcome.activities.empty()) {
            outcome.kind = InputOutcome::Kind::duplicate;
        }
    }
    return count;
}

} // namespace ultrastrength
