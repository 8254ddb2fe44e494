#include "cli/scanning.hpp"

#include "store/feature_cache.hpp"

#include <cstdio>
#include <memory>
#include <ostream>
#include <unistd.h>

namespace ultrastrength::cli {

bool show_progress(const CommonOptions& common) {
    return !common.quiet && ::isatty(STDERR_FILENO) == 1;
}

std::string describe_counts(const ScanCounts& c) {
    return std::to_string(c.files) + " files: " + std::to_string(c.decoded) + " decoded, " +
           std::to_string(c.cached + c.rehashed) + " from the cache (" +
           std::to_string(c.rehashed) + " recognised by content)";
}

ScanResult scan_with_options(const ReaderRegistry& registry, const std::vector<std::string>& inputs,
                             const CommonOptions& common, std::ostream& log) {
    ScanOptions options;
    options.jobs = common.jobs;
    std::unique_ptr<FeatureCache> cache;
    if (!common.no_cache) {
        const std::string path = common.cache.empty() ? FeatureCache::default_path() : common.cache;
        try {
            cache = std::make_unique<FeatureCache>(path);
        } catch (const std::exception& e) {
            log << "warning: " << e.what() << "; going on without a cache\n";
        }
        if (cache) {
            for (const auto& warning : cache->warnings()) {
                log << "warning: " << warning << '\n';
            }
            options.cache = cache.get();
        }
    }
    const bool progress = show_progress(common);
    if (progress) {
        options.progress = [](std::size_t done, std::size_t total) {
            // Redrawn in place; at most ~100 redraws however many files.
            if (done == total || total < 100 || done % (total / 100) == 0) {
                std::fprintf(stderr, "\rreading inputs: %zu/%zu", done, total);
                std::fflush(stderr);
            }
        };
    }
    const std::size_t warnings_before = cache ? cache->warnings().size() : 0;
    ScanResult result = scan(registry, inputs, options);
    if (progress && result.counts.files > 0) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    if (cache) {
        const auto& warnings = cache->warnings();
        for (std::size_t i = warnings_before; i < warnings.size(); ++i) {
            log << "warning: " << warnings[i] << '\n';
        }
    }
    if (common.verbose && !common.quiet) {
        log << describe_counts(result.counts) << (cache ? "" : " (no cache)") << '\n';
    }
    return result;
}

} // namespace ultrastrength::cli
