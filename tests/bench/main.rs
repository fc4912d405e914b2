//! `hailong-bench`: the performance proof (issue 7). Every figure is a ratio
//! against a reference measured in the same run, on the same machine:
//!
//! - P1 submissions over HTTP against a bare program doing the same inserts;
//! - P2 dashboard and indices latency at 1k, 100k and 1M responses;
//! - P3 `hailong verify-tallies` against the `sqlite3` tool's GROUP BY;
//! - P4 the CSV export against `sqlite3 -csv`, with the server's peak memory;
//! - P5 the survey page's compressed weight and render times;
//! - P6 two instances on one PostgreSQL: nothing lost or duplicated, sessions shared;
//! - P7 dossiers into the API in batches of 1,000 against bare inserts of the same rows;
//! - P8 the dossier figures at 10k and at the largest size of dossiers;
//! - P9 the driver analysis and the weighted indices at 1k, 100k and 1M responses;
//! - P10 the dashboard filtered by one department at each size; the
//!   feedback queue and the dashboard's feedback panel at 1k and 100k
//!   items; the evidence pack of a published 100k round against its CSV
//!   export;
//! - P11 Lighthouse (mobile preset) on every public page: the four category
//!   scores, LCP, TBT, CLS, bytes and whether wasm was requested.
//!
//! Run by `./scripts/bench`, which builds the release binaries; it writes
//! `BENCHMARKS.md`. Datasets are generated from a fixed seed and kept in
//! `target/bench/` between runs.

mod dataset;
mod measure;
mod report;

use std::path::PathBuf;

use anyhow::Context;

use measure::{Server, latency, median_run};
use report::{Figure, Report};

/// Requests timed per latency figure (after 20 to warm up): enough for a
/// steady p95 on a shared machine.
const SAMPLES: usize = 500;

struct Options {
    hailong: PathBuf,
    out: PathBuf,
    data: PathBuf,
    sizes: Vec<u64>,
    postgres: String,
    submissions: u64,
    clients: usize,
    /// Dossiers sent over the API for P7.
    dossiers: u64,
    /// Figures to measure (P1…P11); all when empty.
    only: Vec<String>,
}

impl Options {
    fn wants(&self, figure: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|f| f == figure)
    }
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        hailong: PathBuf::from("target/release/hailong"),
        out: PathBuf::from("BENCHMARKS.md"),
        data: PathBuf::from("target/bench"),
        sizes: vec![1_000, 100_000, 1_000_000],
        postgres: "postgres://postgres@127.0.0.1:5432/postgres".to_owned(),
        submissions: 4_000,
        clients: 8,
        dossiers: 20_000,
        only: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--hailong" => options.hailong = value()?.into(),
            "--out" => options.out = value()?.into(),
            "--data" => options.data = value()?.into(),
            "--postgres" => options.postgres = value()?,
            "--submissions" => options.submissions = value()?.parse()?,
            "--clients" => options.clients = value()?.parse()?,
            "--dossiers" => options.dossiers = value()?.parse()?,
            "--sizes" => {
                options.sizes = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?
            }
            "--only" => options.only = value()?.split(',').map(str::to_owned).collect(),
            "--quick" => {
                options.sizes = vec![1_000, 5_000, 20_000];
                options.submissions = 600;
                options.dossiers = 5_000;
            }
            other => anyhow::bail!(
                "unknown argument {other}; use --hailong, --out, --data, --sizes, --postgres, --submissions, --clients, --dossiers, --only, --quick"
            ),
        }
    }
    anyhow::ensure!(
        options.hailong.is_file(),
        "{} is missing: build it with cargo build --release -p hailong-server",
        options.hailong.display()
    );
    std::fs::create_dir_all(&options.data)?;
    Ok(options)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    let mut report = Report::new(&options.sizes, options.submissions, options.clients);

    if options.wants("P1") {
        eprintln!("P1: submissions on SQLite and PostgreSQL");
        for backend in ["sqlite", "postgres"] {
            report.add(p1_submissions(&options, backend).await?);
        }
    }

    let mut datasets = Vec::new();
    if ["P2", "P3", "P4", "P5", "P9", "P10"]
        .iter()
        .any(|f| options.wants(f))
    {
        for size in &options.sizes {
            eprintln!("generating {size} responses (kept for later runs)");
            datasets.push((*size, dataset::sqlite(&options.data, *size).await?));
        }
    }

    if options.wants("P2") {
        eprintln!("P2: dashboard and indices latency");
        report.add_all(p2_dashboard(&options, &datasets).await?);
    }

    if options.wants("P3") {
        let (largest_size, largest) = datasets.last().cloned().context("a dataset")?;
        eprintln!("P3: recount of {largest_size} responses");
        report.add(p3_recount(&options, &largest).await?);
    }

    if options.wants("P4") {
        eprintln!("P4: CSV export");
        report.add_all(p4_export(&options, &datasets).await?);
    }

    if options.wants("P5") {
        eprintln!("P5: page weight and render time");
        report.add_all(p5_page_weight(&options, &datasets[0].1).await?);
    }

    if options.wants("P9") {
        eprintln!("P9: driver analysis and weighted indices");
        report.add_all(p9_analysis(&options, &datasets).await?);
    }

    if options.wants("P10") {
        eprintln!("P10: dashboard by department, feedback queue and panel");
        report.add_all(p10_department(&options, &datasets).await?);
        report.add_all(p10_feedback(&options).await?);
        let (_, data) = datasets.get(1).or(datasets.first()).context("a dataset")?;
        eprintln!("P10: evidence pack of {} responses", data.size);
        report.add(evidence_pack(&options, data).await?);
    }

    if options.wants("P7") {
        eprintln!("P7: dossiers over the API against bare inserts");
        for backend in ["sqlite", "postgres"] {
            report.add(p7_dossiers_in(&options, backend).await?);
        }
    }

    if options.wants("P8") {
        eprintln!("P8: dossier figures at 10k and the largest size");
        report.add_all(p8_dossier_figures(&options).await?);
    }

    if options.wants("P6") {
        eprintln!("P6: two instances on one PostgreSQL");
        report.add_all(p6_scale_out(&options).await?);
    }

    if options.wants("P11") {
        eprintln!("P11: Lighthouse on the public pages");
        report.add_all(p11_lighthouse(&options).await?);
    }

    report.write(&options.out, !options.only.is_empty())?;
    eprintln!("written {}", options.out.display());
    Ok(())
}

/// Responses per second over HTTP, against the bare inserts.
async fn p1_submissions(options: &Options, backend: &str) -> anyhow::Result<Figure> {
    let n = options.submissions;
    let (app_url, reference_url) = match backend {
        "sqlite" => (
            dataset::fresh_sqlite(&options.data, "p1-app")?,
            dataset::fresh_sqlite(&options.data, "p1-reference")?,
        ),
        _ => (
            dataset::fresh_postgres(&options.postgres, "hailong_bench_p1_app").await?,
            dataset::fresh_postgres(&options.postgres, "hailong_bench_p1_reference").await?,
        ),
    };
    let app_round = dataset::empty_round(&app_url).await?;
    let reference_round = dataset::empty_round(&reference_url).await?;

    let server = Server::start(&options.hailong, &app_url, &[])?;
    // Warm up both sides the same way, then measure.
    measure::submit_over_http(
        std::slice::from_ref(&server.base),
        &app_round,
        50,
        options.clients,
        "warm",
    )
    .await?;
    let (app_rate, acknowledged) = measure::submit_over_http(
        std::slice::from_ref(&server.base),
        &app_round,
        n,
        options.clients,
        "p1",
    )
    .await?;
    server.stop()?;
    anyhow::ensure!(
        acknowledged.len() as u64 == n,
        "every submission acknowledged"
    );
    measure::reference_inserts(&reference_url, &reference_round, 50, options.clients).await?;
    let reference_rate =
        measure::reference_inserts(&reference_url, &reference_round, n, options.clients).await?;

    Ok(Figure::higher_is_better(
        "P1",
        &format!(
            "submissions/s over HTTP, {backend}, {} clients",
            options.clients
        ),
        app_rate,
        reference_rate,
        "bare inserts of the same rows",
        0.8,
    ))
}

async fn p2_dashboard(
    options: &Options,
    datasets: &[(u64, dataset::Dataset)],
) -> anyhow::Result<Vec<Figure>> {
    let mut dashboard = Vec::new();
    let mut indices = Vec::new();
    for (size, data) in datasets {
        let server = Server::start(&options.hailong, &data.url, &[])?;
        let session = measure::sign_in(&server.base, &data.leader).await?;
        let page = format!("{}/rounds/{}", server.base, data.round);
        let api = format!("{}/api/v1/rounds/{}/indices", server.base, data.round);
        dashboard.push((*size, latency(&session, &page, SAMPLES).await?));
        indices.push((*size, latency(&session, &api, SAMPLES).await?));
        server.stop()?;
    }
    let mut figures = Vec::new();
    for (name, series) in [
        ("round dashboard page", dashboard),
        ("GET …/indices", indices),
    ] {
        let (small_size, small) = series.first().cloned().context("sizes")?;
        for (size, stats) in &series {
            figures.push(Figure::latency(
                "P2",
                &format!("{name}, {} responses", report::count(*size)),
                stats.clone(),
                small.clone(),
                &format!("the same at {}", report::count(small_size)),
                1.2,
                50.0,
            ));
        }
    }
    Ok(figures)
}

/// p95 of each of `urls` (paths after the server's base) on every
/// dataset, each against the same on the first (smallest) dataset.
async fn flat_latencies(
    options: &Options,
    id: &'static str,
    datasets: &[(u64, dataset::Dataset)],
    urls: &[(&str, String)],
    unit: &str,
) -> anyhow::Result<Vec<Figure>> {
    let mut series: Vec<Vec<(u64, report::Latency)>> = vec![Vec::new(); urls.len()];
    for (size, data) in datasets {
        let server = Server::start(&options.hailong, &data.url, &[])?;
        let session = measure::sign_in(&server.base, &data.leader).await?;
        for ((_, path), measured) in urls.iter().zip(series.iter_mut()) {
            let url = format!("{}{path}", server.base);
            measured.push((*size, latency(&session, &url, SAMPLES).await?));
        }
        server.stop()?;
    }
    let mut figures = Vec::new();
    for ((name, _), measured) in urls.iter().zip(series) {
        let (small_size, small) = measured.first().cloned().context("sizes")?;
        for (size, stats) in measured.iter().skip(1) {
            figures.push(Figure::latency(
                id,
                &format!("{name}, {} {unit}", report::count(*size)),
                stats.clone(),
                small.clone(),
                &format!("the same at {}", report::count(small_size)),
                1.2,
                50.0,
            ));
        }
    }
    Ok(figures)
}

/// The drivers (from the pair sums) and the weighted indices (population
/// counts by respondent type) at each size against the smallest.
async fn p9_analysis(
    options: &Options,
    datasets: &[(u64, dataset::Dataset)],
) -> anyhow::Result<Vec<Figure>> {
    let round = dataset::ROUND;
    flat_latencies(
        options,
        "P9",
        datasets,
        &[
            (
                "GET …/drivers (Johnson's weights, O1)",
                format!("/api/v1/rounds/{round}/drivers"),
            ),
            (
                "GET …/indices?weighted=true",
                format!("/api/v1/rounds/{round}/indices?weighted=true"),
            ),
        ],
        "responses",
    )
    .await
}

/// The dashboard filtered by one department at each size against the smallest.
async fn p10_department(
    options: &Options,
    datasets: &[(u64, dataset::Dataset)],
) -> anyhow::Result<Vec<Figure>> {
    flat_latencies(
        options,
        "P10",
        datasets,
        &[(
            "round dashboard page filtered by one department",
            format!("/rounds/{}?department=QLDN", dataset::ROUND),
        )],
        "responses",
    )
    .await
}

/// The feedback queue and the dashboard (with its feedback panel) at 100k
/// feedback items against 1k.
async fn p10_feedback(options: &Options) -> anyhow::Result<Vec<Figure>> {
    let mut datasets = Vec::new();
    for size in [options.sizes[0], options.sizes[0] * 100] {
        eprintln!("generating {size} feedback items (kept for later runs)");
        datasets.push((size, dataset::feedback(&options.data, size).await?));
    }
    flat_latencies(
        options,
        "P10",
        &datasets,
        &[
            (
                "feedback queue page (/feedback/items)",
                "/feedback/items".to_owned(),
            ),
            (
                "round dashboard page with its feedback panel",
                format!("/rounds/{}", dataset::ROUND),
            ),
        ],
        "feedback items",
    )
    .await
}

/// The evidence pack (PDF, XLSX, SVG and PNG charts, feedback report) of a
/// published round against the CSV export of the same round.
async fn evidence_pack(options: &Options, data: &dataset::Dataset) -> anyhow::Result<Figure> {
    let published = dataset::published_copy(&options.data, data).await?;
    let server = Server::start(&options.hailong, &published.url, &[])?;
    let session = measure::sign_in(&server.base, &published.leader).await?;
    let round = &published.round;
    let pack_url = format!("{}/api/v1/rounds/{round}/evidence.zip", server.base);
    let csv_url = format!("{}/api/v1/rounds/{round}/responses.csv", server.base);
    let mut pack = Vec::new();
    let mut csv = Vec::new();
    for _ in 0..3 {
        pack.push(measure::download(&session, &pack_url).await?.0);
        csv.push(measure::download(&session, &csv_url).await?.0);
    }
    server.stop()?;
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    Ok(Figure::lower_is_better(
        "P10",
        &format!(
            "evidence pack (ZIP: PDF report, XLSX, SVG and PNG charts), published round of {} responses (s)",
            report::count(published.size)
        ),
        median(pack),
        median(csv),
        "the CSV export of the same round",
        10.0,
    ))
}

async fn p3_recount(options: &Options, data: &dataset::Dataset) -> anyhow::Result<Figure> {
    let ours = median_run(3, || {
        measure::run(
            &options.hailong,
            &[("DATABASE_URL", data.url.as_str())],
            &["verify-tallies"],
        )
    })?;
    let sql = format!(
        "{};\n{};",
        domain::services::tallies::recount_answers(None),
        domain::services::tallies::RECOUNT_RESPONSES
    );
    let reference = median_run(3, || measure::sqlite3(&data.file, &[], &sql))?;
    Ok(Figure::lower_is_better(
        "P3",
        &format!(
            "hailong verify-tallies, {} responses",
            report::count(data.size)
        ),
        ours,
        reference,
        "sqlite3 running the same GROUP BY",
        1.0,
    ))
}

async fn p4_export(
    options: &Options,
    datasets: &[(u64, dataset::Dataset)],
) -> anyhow::Result<Vec<Figure>> {
    let mut figures = Vec::new();
    let mut memory = Vec::new();
    for (size, data) in datasets.iter().skip(1) {
        let server = Server::start(&options.hailong, &data.url, &[])?;
        let session = measure::sign_in(&server.base, &data.leader).await?;
        let url = format!("{}/api/v1/rounds/{}/responses.csv", server.base, data.round);
        let ((seconds, bytes), heap) =
            measure::with_peak_heap(server.pid(), measure::download(&session, &url)).await?;
        let resident = server.memory_kib("VmHWM")?;
        server.stop()?;
        memory.push((*size, heap));
        let sql = dataset::export_sql(data).await?;
        let reference = median_run(1, || {
            measure::sqlite3(&data.file, &["-csv", "-header"], &sql)
        })?;
        figures.push(Figure::lower_is_better(
            "P4",
            &format!(
                "CSV export, {} responses ({} MB), server peak heap {} MB, peak resident set {} MB",
                report::count(*size),
                bytes / 1_000_000,
                heap / 1024,
                resident / 1024
            ),
            seconds,
            reference,
            "sqlite3 -csv of the same rows",
            2.0,
        ));
    }
    if let [(small_size, small), .., (large_size, large)] = memory.as_slice() {
        figures.push(Figure::lower_is_better(
            "P4",
            &format!(
                "server peak heap (RssAnon sampled every 5 ms), export of {} against {} responses (MB)",
                report::count(*large_size),
                report::count(*small_size)
            ),
            *large as f64 / 1024.0,
            *small as f64 / 1024.0,
            "the same export of the smaller round",
            1.2,
        ));
    }
    Ok(figures)
}

async fn p5_page_weight(options: &Options, data: &dataset::Dataset) -> anyhow::Result<Vec<Figure>> {
    let server = Server::start(&options.hailong, &data.url, &[])?;
    let mut figures = Vec::new();
    let survey = format!("{}/s/{}", server.base, data.round);
    let weights = measure::page_weight(&survey).await?;
    for (asset, bytes, encoding) in &weights {
        let target = if asset.ends_with(".wasm") {
            Some(100.0)
        } else {
            None
        };
        figures.push(Figure::size(
            "P5",
            &format!("{asset} ({encoding})"),
            *bytes as f64 / 1000.0,
            target,
        ));
    }
    let session = measure::sign_in(&server.base, &data.leader).await?;
    let anonymous = reqwest::Client::new();
    let survey_render = latency(&anonymous, &survey, SAMPLES).await?;
    let health = latency(&anonymous, &format!("{}/healthz", server.base), SAMPLES).await?;
    let dashboard = latency(
        &session,
        &format!("{}/rounds/{}", server.base, data.round),
        SAMPLES,
    )
    .await?;
    server.stop()?;
    figures.push(Figure::latency(
        "P5",
        "server render of the survey page",
        survey_render,
        health.clone(),
        "GET /healthz (one database round trip)",
        f64::INFINITY,
        50.0,
    ));
    figures.push(Figure::latency(
        "P5",
        "server render of the dashboard page",
        dashboard,
        health,
        "GET /healthz (one database round trip)",
        f64::INFINITY,
        50.0,
    ));
    Ok(figures)
}

async fn p6_scale_out(options: &Options) -> anyhow::Result<Vec<Figure>> {
    let url = dataset::fresh_postgres(&options.postgres, "hailong_bench_p6").await?;
    let round = dataset::empty_round(&url).await?;
    let leader = dataset::leader(&url).await?;
    let first = Server::start(&options.hailong, &url, &[])?;
    let second = Server::start(&options.hailong, &url, &[])?;
    let bases = [first.base.clone(), second.base.clone()];

    // A session opened on one instance works on the other.
    let session = measure::sign_in(&first.base, &leader).await?;
    let across = session
        .get(format!("{}/staff", second.base))
        .send()
        .await?
        .status();
    anyhow::ensure!(
        across == 200,
        "a session from the first instance is refused by the second: {across}"
    );

    let (rate, acknowledged) =
        measure::submit_over_http(&bases, &round, options.submissions, options.clients, "p6")
            .await?;
    let stored = dataset::count_responses(&url).await?;
    let duplicates = dataset::duplicate_keys(&url).await?;
    let first_indices: serde_json::Value = session
        .get(format!("{}/api/v1/rounds/{round}/indices", first.base))
        .send()
        .await?
        .json()
        .await?;
    let second_indices: serde_json::Value = session
        .get(format!("{}/api/v1/rounds/{round}/indices", second.base))
        .send()
        .await?
        .json()
        .await?;
    first.stop()?;
    second.stop()?;
    anyhow::ensure!(
        stored == acknowledged.len() as u64,
        "stored {stored}, acknowledged {}",
        acknowledged.len()
    );
    anyhow::ensure!(duplicates == 0, "{duplicates} duplicated keys");
    anyhow::ensure!(
        first_indices == second_indices,
        "both instances report the same indices"
    );
    anyhow::ensure!(
        first_indices["n_responses"].as_u64() == Some(stored),
        "the indices count every stored response"
    );
    let one = Server::start(&options.hailong, &url, &[])?;
    let (single_rate, _) = measure::submit_over_http(
        std::slice::from_ref(&one.base),
        &round,
        options.submissions,
        options.clients,
        "p6-single",
    )
    .await?;
    one.stop()?;
    Ok(vec![Figure::higher_is_better(
        "P6",
        &format!(
            "two instances on one PostgreSQL: {stored} of {stored} acknowledged stored, 0 duplicated, same indices on both, sessions shared; submissions/s"
        ),
        rate,
        single_rate,
        "one instance, same clients",
        0.8,
    )])
}

/// Lighthouse runs per page; the run with the median performance score counts.
const LIGHTHOUSE_RUNS: usize = 3;

/// Lighthouse on every public page of the demo agency, each against the
/// targets: performance ≥ 0.98, the other categories 1.0, no wasm where
/// there is no island, and TBT ≤ 100 ms on the survey form.
async fn p11_lighthouse(options: &Options) -> anyhow::Result<Vec<Figure>> {
    let (url, demo) = dataset::demo(&options.data, "p11-demo").await?;
    let paths = [
        ("home", "/".to_owned()),
        ("survey", format!("/s/{}", demo.open_round)),
        (
            "receipt",
            format!("/s/{}/receipt/{}", demo.open_round, demo.receipt_code),
        ),
        ("feedback form", "/feedback".to_owned()),
        (
            "tracking",
            format!("/feedback/track?code={}", demo.tracking_code),
        ),
        ("published answers", "/feedback/answers".to_owned()),
        ("published results", format!("/results/{}", demo.results_id)),
    ];
    let server = Server::start(&options.hailong, &url, &[])?;
    let pages: Vec<(&str, String)> = paths
        .iter()
        .map(|(name, path)| (*name, format!("{}{path}", server.base)))
        .collect();
    let measured = measure::lighthouse(LIGHTHOUSE_RUNS, &pages);
    server.stop()?;
    let measured = measured?;
    let mut figures = Vec::new();
    for (name, path) in &paths {
        let page = measured
            .iter()
            .find(|page| page.name == *name)
            .with_context(|| format!("Lighthouse measured no {name} page"))?;
        let island = app::has_island(path);
        figures.push(Figure::lighthouse(
            "P11",
            page,
            0.98,
            island.then_some(100.0),
            island,
        ));
    }
    Ok(figures)
}

/// Dossiers per second into the API in batches of 1,000 (one client, as
/// the one-stop software sends them), against bare inserts of the same
/// rows and contacts, a batch per transaction.
async fn p7_dossiers_in(options: &Options, backend: &str) -> anyhow::Result<Figure> {
    const BATCH: u64 = 1_000;
    let n = options.dossiers;
    let (app_url, reference_url) = match backend {
        "sqlite" => (
            dataset::fresh_sqlite(&options.data, "p7-app")?,
            dataset::fresh_sqlite(&options.data, "p7-reference")?,
        ),
        _ => (
            dataset::fresh_postgres(&options.postgres, "hailong_bench_p7_app").await?,
            dataset::fresh_postgres(&options.postgres, "hailong_bench_p7_reference").await?,
        ),
    };
    dataset::empty_round(&app_url).await?;
    dataset::empty_round(&reference_url).await?;
    let token = dataset::dossier_token(&app_url).await?;

    let server = Server::start(&options.hailong, &app_url, &[])?;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/dossiers", server.base);
    // The bodies are written before the timing: turning rows into JSON is
    // the one-stop software's work, and on a shared machine it would take
    // its processor time from the server being measured.
    let body = |series: &'static str, from: u64| -> anyhow::Result<Vec<u8>> {
        Ok(serde_json::to_vec(&serde_json::json!({
            "dossiers": (from..from + BATCH)
                .map(|i| dataset::bench_dossier(series, i).to_json())
                .collect::<Vec<_>>()
        }))?)
    };
    let send = |body: Vec<u8>| {
        let request = client
            .post(&url)
            .bearer_auth(&token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        async move {
            let reply = request.send().await?;
            anyhow::ensure!(
                reply.status().is_success(),
                "batch refused: {}",
                reply.text().await?
            );
            anyhow::Ok(())
        }
    };
    // Warm up both sides the same way, then measure.
    send(body("W", 0)?).await?;
    let bodies = (0..n)
        .step_by(BATCH as usize)
        .map(|from| body("HS", from))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let started = std::time::Instant::now();
    for body in bodies {
        send(body).await?;
    }
    let app_rate = n as f64 / started.elapsed().as_secs_f64();
    server.stop()?;
    let stored = dataset::count_rows(&app_url, "dossiers").await?;
    anyhow::ensure!(
        stored == n + BATCH,
        "{stored} dossiers stored of {}",
        n + BATCH
    );

    let db = domain::db::connect(&reference_url).await?;
    let procedures = dataset::procedure_ids(&db).await?;
    let batch = |series: &'static str, from: u64| -> Vec<dataset::BenchDossier> {
        (from..from + BATCH)
            .map(|i| dataset::bench_dossier(series, i))
            .collect()
    };
    dataset::insert_dossiers_bare(&db, &procedures, &batch("W", 0), 1).await?;
    let started = std::time::Instant::now();
    for from in (0..n).step_by(BATCH as usize) {
        // Built inside the timing, as the server parses each request.
        let rows = batch("HS", from);
        dataset::insert_dossiers_bare(&db, &procedures, &rows, (BATCH + from + 1) as i32).await?;
    }
    let reference_rate = n as f64 / started.elapsed().as_secs_f64();
    db.close().await?;

    Ok(Figure::higher_is_better(
        "P7",
        &format!("dossiers/s over POST /api/v1/dossiers in batches of 1,000, {backend}"),
        app_rate,
        reference_rate,
        "bare inserts of the same rows",
        0.8,
    ))
}

/// The dossier figures (the staff page and the API) at the largest size
/// against 10k dossiers: read from tallies, they should not grow.
async fn p8_dossier_figures(options: &Options) -> anyhow::Result<Vec<Figure>> {
    let largest = *options.sizes.last().context("sizes")?;
    let mut datasets = Vec::new();
    for size in [10_000, largest] {
        eprintln!("generating {size} dossiers (kept for later runs)");
        datasets.push((size, dataset::dossiers(&options.data, size).await?));
    }
    flat_latencies(
        options,
        "P8",
        &datasets,
        &[
            (
                "dossier figures page (/dossiers), a year",
                "/dossiers?year=2026".to_owned(),
            ),
            (
                "GET /api/v1/dossiers/figures, a year",
                "/api/v1/dossiers/figures?year=2026".to_owned(),
            ),
        ],
        "dossiers",
    )
    .await
}
