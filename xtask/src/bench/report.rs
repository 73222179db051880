//! The benchmark report: each figure next to its design.md target, as Markdown.

use std::fmt::Write as _;

use super::Options;
use super::apply::ApplyFigures;
use super::handshake::HandshakeFigures;

/// Median, minimum and maximum of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub samples: usize,
}

impl Summary {
    pub fn of(values: &[f64]) -> Summary {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
        };
        Summary {
            median,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            samples: n,
        }
    }
}

#[derive(Debug)]
pub struct Report {
    pub options: Options,
    pub handshake: Option<HandshakeFigures>,
    pub apply: Option<ApplyFigures>,
}

/// design.md's targets.
const HANDSHAKE_TARGET_MS: f64 = 3.0;
const RSS_TARGET_MB: f64 = 10.0;
const APPLY_RATIO_TARGET: f64 = 1.2;

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**not met**" }
}

impl Report {
    pub fn new(options: &Options) -> Report {
        Report { options: options.clone(), handshake: None, apply: None }
    }

    pub fn markdown(&self) -> String {
        let mut out = format!(
            "Release build against the bundled simulator; {} provider launches, {} resources per apply.\n\n\
             | measure | result | target | |\n|---|---|---|---|\n",
            self.options.launches, self.options.resources
        );
        if let Some(h) = &self.handshake {
            let t = h.start_to_handshake_ms;
            let _ = writeln!(
                out,
                "| start-to-handshake, median of {} launches (min–max) | {:.1} ms ({:.1}–{:.1}) | < {HANDSHAKE_TARGET_MS} ms | {} |",
                t.samples,
                t.median,
                t.min,
                t.max,
                verdict(t.median < HANDSHAKE_TARGET_MS)
            );
            let r = h.idle_rss_mib;
            let megabytes = r.median * 1.048_576;
            let _ = writeln!(
                out,
                "| idle RSS, median (min–max) | {megabytes:.1} MB = {:.1} MiB ({:.1}–{:.1} MiB) | < {RSS_TARGET_MB} MB | {} |",
                r.median,
                r.min,
                r.max,
                verdict(megabytes < RSS_TARGET_MB)
            );
        }
        if let Some(a) = &self.apply {
            let ratio = a.certificate_apply.as_secs_f64() / a.terraform_data_apply.as_secs_f64();
            let _ = writeln!(
                out,
                "| apply of {n} `apig_certificate` vs {n} `terraform_data` with the same name and PEM | {:.1} s vs {:.1} s = {ratio:.2}× | ≤ {APPLY_RATIO_TARGET}× | {} |",
                a.certificate_apply.as_secs_f64(),
                a.terraform_data_apply.as_secs_f64(),
                verdict(ratio <= APPLY_RATIO_TARGET),
                n = a.resources,
            );
            let per_resource = a.refresh_requests as f64 / a.resources as f64;
            let _ = writeln!(
                out,
                "| API requests per resource, refreshing plan | {per_resource:.2} ({} requests) | 1 | {} |",
                a.refresh_requests,
                verdict(a.refresh_requests == a.resources as u64)
            );
            let _ = writeln!(
                out,
                "| destroy of {n} `apig_certificate` vs {n} `terraform_data` | {:.1} s vs {:.1} s | (no target) | |",
                a.certificate_destroy.as_secs_f64(),
                a.terraform_data_destroy.as_secs_f64(),
                n = a.resources,
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_takes_the_middle_value_or_the_mean_of_the_two_middle_values() {
        assert_eq!(Summary::of(&[5.0, 1.0, 3.0]), Summary { median: 3.0, min: 1.0, max: 5.0, samples: 3 });
        assert_eq!(Summary::of(&[4.0, 1.0, 3.0, 2.0]).median, 2.5);
        assert!(Summary::of(&[]).median.is_nan());
    }

    #[test]
    fn the_report_judges_each_figure_against_its_target() {
        let mut report = Report::new(&Options { launches: 3, resources: 10, no_build: true });
        report.handshake = Some(HandshakeFigures {
            start_to_handshake_ms: Summary::of(&[2.0, 2.5, 9.0]),
            idle_rss_mib: Summary::of(&[9.8, 9.9, 10.0]),
        });
        report.apply = Some(ApplyFigures {
            resources: 10,
            terraform_data_apply: std::time::Duration::from_secs(10),
            certificate_apply: std::time::Duration::from_secs(13),
            terraform_data_destroy: std::time::Duration::from_secs(5),
            certificate_destroy: std::time::Duration::from_secs(6),
            refresh_requests: 10,
        });
        let md = report.markdown();
        let row = |start: &str| md.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("{start}: {md}"));
        assert!(row("| start-to-handshake").ends_with("| met |"), "{md}");
        // 9.9 MiB is 10.4 MB: over the 10 MB target.
        assert!(row("| idle RSS").contains("10.4 MB") && row("| idle RSS").ends_with("**not met** |"), "{md}");
        assert!(row("| apply of 10 ").contains("1.30×") && row("| apply of 10 ").ends_with("**not met** |"), "{md}");
        assert!(row("| API requests").contains("1.00 (10 requests)") && row("| API requests").ends_with("| met |"));
    }
}
