//! The figures, each a ratio against a reference measured in the same run,
//! and `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::path::Path;

/// Latencies of a series of requests, in milliseconds.
#[derive(Clone, Debug)]
pub struct Latency {
    pub p50: f64,
    pub p95: f64,
    pub n: usize,
}

impl Latency {
    pub fn of(mut samples: Vec<f64>) -> Self {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| {
            samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1]
        };
        Self {
            p50: at(0.5),
            p95: at(0.95),
            n: samples.len(),
        }
    }
}

/// One line of the table.
pub struct Figure {
    id: &'static str,
    what: String,
    ours: String,
    reference: String,
    ratio: Option<f64>,
    target: String,
    met: bool,
}

/// 1000000 → "1M", 100000 → "100k".
pub fn count(n: u64) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

impl Figure {
    /// A rate: ours / reference must reach `target`.
    pub fn higher_is_better(
        id: &'static str,
        what: &str,
        ours: f64,
        reference: f64,
        reference_what: &str,
        target: f64,
    ) -> Self {
        let ratio = ours / reference;
        Self {
            id,
            what: what.to_owned(),
            ours: format!("{ours:.0}/s"),
            reference: format!("{reference:.0}/s ({reference_what})"),
            ratio: Some(ratio),
            target: format!("≥ {target}×"),
            met: ratio >= target,
        }
    }

    /// A duration or an amount: ours / reference must stay within `target`.
    pub fn lower_is_better(
        id: &'static str,
        what: &str,
        ours: f64,
        reference: f64,
        reference_what: &str,
        target: f64,
    ) -> Self {
        let ratio = ours / reference;
        Self {
            id,
            what: what.to_owned(),
            ours: format!("{ours:.3}"),
            reference: format!("{reference:.3} ({reference_what})"),
            ratio: Some(ratio),
            target: format!("≤ {target}×"),
            met: ratio <= target,
        }
    }

    /// Latencies: the p95 against the reference's p95 within `ratio_target`, and at most `p95_target_ms`.
    pub fn latency(
        id: &'static str,
        what: &str,
        ours: Latency,
        reference: Latency,
        reference_what: &str,
        ratio_target: f64,
        p95_target_ms: f64,
    ) -> Self {
        let ratio = ours.p95 / reference.p95;
        let target = if ratio_target.is_finite() {
            format!("≤ {ratio_target}× and p95 ≤ {p95_target_ms} ms")
        } else {
            format!("p95 ≤ {p95_target_ms} ms")
        };
        Self {
            id,
            what: what.to_owned(),
            ours: format!(
                "p50 {:.1} ms, p95 {:.1} ms (n={})",
                ours.p50, ours.p95, ours.n
            ),
            reference: format!(
                "p50 {:.1} ms, p95 {:.1} ms ({reference_what})",
                reference.p50, reference.p95
            ),
            ratio: Some(ratio),
            target,
            met: ratio <= ratio_target && ours.p95 <= p95_target_ms,
        }
    }

    /// A size in kB, with an optional ceiling.
    pub fn size(id: &'static str, what: &str, kilobytes: f64, target: Option<f64>) -> Self {
        Self {
            id,
            what: what.to_owned(),
            ours: format!("{kilobytes:.1} kB"),
            reference: "—".to_owned(),
            ratio: None,
            target: target.map_or_else(|| "reported".to_owned(), |t| format!("≤ {t} kB")),
            met: target.is_none_or(|t| kilobytes <= t),
        }
    }
}

/// What Lighthouse measured on one page (the run with the median performance score).
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lighthouse {
    pub name: String,
    pub runs: usize,
    pub performance: f64,
    pub accessibility: f64,
    pub best_practices: f64,
    pub seo: f64,
    pub lcp_ms: f64,
    pub tbt_ms: f64,
    pub cls: f64,
    pub bytes: f64,
    pub wasm: bool,
    /// The audits that cost a point, to say what to fix.
    pub problems: Vec<String>,
}

impl Figure {
    /// A page's Lighthouse scores against the targets: performance at least
    /// `min_performance`, the other three categories 1.0, total blocking time
    /// at most `max_tbt_ms` where given, and wasm only where the page has an island.
    pub fn lighthouse(
        id: &'static str,
        page: &Lighthouse,
        min_performance: f64,
        max_tbt_ms: Option<f64>,
        has_island: bool,
    ) -> Self {
        let wasm_ok = !page.wasm || has_island;
        let met = page.performance >= min_performance
            && page.accessibility >= 1.0
            && page.best_practices >= 1.0
            && page.seo >= 1.0
            && max_tbt_ms.is_none_or(|max| page.tbt_ms <= max)
            && wasm_ok;
        let problems = if page.problems.is_empty() {
            String::new()
        } else {
            format!("; audits short of full marks: {}", page.problems.join(", "))
        };
        Self {
            id,
            what: format!(
                "Lighthouse (mobile), {} page, median of {} runs{problems}",
                page.name, page.runs
            ),
            ours: format!(
                "performance {:.2}, accessibility {:.2}, best practices {:.2}, SEO {:.2}; \
                 LCP {:.0} ms, TBT {:.0} ms, CLS {:.3}, {:.1} kB, wasm {}",
                page.performance,
                page.accessibility,
                page.best_practices,
                page.seo,
                page.lcp_ms,
                page.tbt_ms,
                page.cls,
                page.bytes / 1000.0,
                if page.wasm {
                    "requested"
                } else {
                    "not requested"
                }
            ),
            reference: "—".to_owned(),
            ratio: None,
            target: format!(
                "performance ≥ {min_performance}, others 1.0, {}{}",
                max_tbt_ms.map_or_else(String::new, |max| format!("TBT ≤ {max} ms, ")),
                if has_island {
                    "wasm allowed (island)"
                } else {
                    "no wasm"
                }
            ),
            met,
        }
    }
}

pub struct Report {
    figures: Vec<Figure>,
    sizes: Vec<u64>,
    submissions: u64,
    clients: usize,
}

impl Report {
    pub fn new(sizes: &[u64], submissions: u64, clients: usize) -> Self {
        Self {
            figures: Vec::new(),
            sizes: sizes.to_vec(),
            submissions,
            clients,
        }
    }

    pub fn add(&mut self, figure: Figure) {
        eprintln!(
            "  {} {}: {} vs {} → {} {}",
            figure.id,
            figure.what,
            figure.ours,
            figure.reference,
            figure
                .ratio
                .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×")),
            if figure.met { "ok" } else { "MISSED" }
        );
        self.figures.push(figure);
    }

    pub fn add_all(&mut self, figures: Vec<Figure>) {
        for figure in figures {
            self.add(figure);
        }
    }

    /// Writes `path`. With `keep_others` (a run of some figures only), the
    /// lines of the figures not measured now are kept from the file as it was.
    pub fn write(&self, path: &Path, keep_others: bool) -> anyhow::Result<()> {
        let measured: Vec<&str> = self.figures.iter().map(|f| f.id).collect();
        let previous = std::fs::read_to_string(path).unwrap_or_default();
        let kept: Vec<&str> = if keep_others {
            previous
                .lines()
                .filter(|line| {
                    line.strip_prefix("| P")
                        .and_then(|rest| rest.split_once(' '))
                        .is_some_and(|(number, _)| {
                            !measured.contains(&format!("P{number}").as_str())
                        })
                })
                .collect()
        } else {
            Vec::new()
        };
        // Each line says which run measured it; lines written before that
        // column existed take the date of the file they were kept from.
        let previous_date = previous
            .lines()
            .find_map(|line| line.strip_prefix("- date: "))
            .map(|date| date.split(" (").next().unwrap_or(date).to_owned())
            .unwrap_or_else(|| "an earlier run".to_owned());
        let kept: Vec<String> = kept
            .into_iter()
            .map(|line| {
                if line.matches('|').count() == 8 {
                    format!("{line} {previous_date} |")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        let now = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string();
        let run = format!("{now}, {}", cpu_family());
        let mut out = String::new();
        writeln!(out, "# Benchmarks\n")?;
        writeln!(
            out,
            "Written by `./scripts/bench` (the `hailong-bench` program in `tests/bench/`). Every figure is \
             measured beside a reference in the same run on the same machine, and judged by the ratio; \
             absolute numbers on a shared 2-core machine move from run to run.\n"
        )?;
        writeln!(out, "- date: {now}")?;
        if !kept.is_empty() {
            let mut ids = measured.clone();
            ids.dedup();
            writeln!(
                out,
                "- this run measured {} only; the other lines are kept from earlier runs, and the last \
                 column of each line says which run measured it",
                ids.join(", ")
            )?;
        }
        writeln!(out, "- machine: {}", machine())?;
        writeln!(
            out,
            "- command: `./scripts/bench` → `hailong-bench --sizes {} --submissions {} --clients {}` (release build)",
            self.sizes
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            self.submissions,
            self.clients
        )?;
        writeln!(
            out,
            "- data: generated from a fixed seed: one round on the default questionnaire, responses to its \
             17 index criteria and the overall question O1 (3% not applicable), 5% with a comment, \
             population counts by respondent type; for P10's feedback figures, the same round with \
             1k or 100k feedback items received at 20 a day (50 days or 14 years of history), 10% of \
             the last 30 days' items still open; for P7, 20k dossiers sent in batches of 1,000 (a third \
             with a phone; the request bodies written before the timing; the reference's rating-key \
             hashes are SHA-256 values, spread as the server's are); for P8, 10k or 1M dossiers completed over 2026, three in five rated\n"
        )?;
        writeln!(
            out,
            "| | what | Hài Lòng | reference | ratio | target | met | measured |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|---|")?;
        let mut lines: Vec<(u32, String)> = kept
            .into_iter()
            .map(|line| (figure_number(&line), line))
            .collect();
        for f in &self.figures {
            let mut line = String::new();
            write!(
                line,
                "| {} | {} | {} | {} | {} | {} | {} | {run} |",
                f.id,
                f.what,
                f.ours,
                f.reference,
                f.ratio
                    .map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×")),
                f.target,
                if f.met { "yes" } else { "**no**" }
            )?;
            lines.push((figure_number(&line), line));
        }
        // In the order of the figures; a stable sort keeps each one's lines in order.
        lines.sort_by_key(|(number, _)| *number);
        for (_, line) in lines {
            writeln!(out, "{line}")?;
        }
        std::fs::write(path, out)?;
        Ok(())
    }
}

/// 11 for a line of the table that starts "| P11 |".
fn figure_number(line: &str) -> u32 {
    line.trim_start_matches("| P")
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX)
}

/// The processor's make and family without its model number, e.g. "AMD
/// EPYC" or "Intel(R) Xeon(R)": enough to tell runs on different machines
/// apart in a line of the table.
fn cpu_family() -> String {
    let cpu = cpu_model();
    let family: Vec<&str> = cpu
        .split_whitespace()
        .take_while(|word| !word.chars().any(|c| c.is_ascii_digit()))
        .collect();
    if family.is_empty() {
        cpu
    } else {
        family.join(" ")
    }
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

fn machine() -> String {
    let cpu = cpu_model();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        })
        .map_or_else(String::new, |kib| {
            format!(", {} GiB RAM", kib / 1024 / 1024)
        });
    format!("{cpu}, {cores} cores{memory}, {}", std::env::consts::OS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_run_keeps_the_other_lines_with_the_run_that_measured_them() {
        let dir = std::env::temp_dir().join(format!("bench-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("BENCHMARKS.md");
        // A file from before the "measured" column, and one line with it.
        std::fs::write(
            &path,
            "# Benchmarks\n\n- date: 2026-12-01 10:00 UTC\n\n\
             | | what | Hài Lòng | reference | ratio | target | met |\n\
             |---|---|---|---|---|---|---|\n\
             | P1 | old | 1 | 1 | 1.00× | ≥ 0.8× | yes |\n\
             | P3 | older | 1 | 1 | 1.00× | ≤ 1× | yes | 2026-11-30 09:00 UTC, AMD EPYC |\n\
             | P7 | replaced | 1 | 1 | 0.25× | ≥ 0.8× | **no** |\n",
        )
        .unwrap();
        let mut report = Report::new(&[1000], 10, 1);
        report.add(Figure::higher_is_better("P7", "new", 2.0, 1.0, "bare", 0.8));
        report.write(&path, true).unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let table: Vec<&str> = written.lines().filter(|l| l.starts_with("| P")).collect();
        assert_eq!(table.len(), 3, "{written}");
        assert_eq!(
            table[0],
            "| P1 | old | 1 | 1 | 1.00× | ≥ 0.8× | yes | 2026-12-01 10:00 UTC |"
        );
        assert!(table[1].ends_with("| 2026-11-30 09:00 UTC, AMD EPYC |"));
        assert!(table[2].starts_with("| P7 | new |"), "{}", table[2]);
        assert!(table[2].ends_with(&format!(", {} |", cpu_family())));
        assert!(written.contains("this run measured P7 only"));
        assert!(
            written.contains("| | what | Hài Lòng | reference | ratio | target | met | measured |")
        );
    }
}
