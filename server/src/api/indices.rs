//! The round's satisfaction indices (optionally for part of it), the
//! comparison of two rounds, and exports.

use super::{ApiError, attachment};
use app::ssr::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{Extension, Path, Query, State};
use axum::http::header;
use axum::response::Response;
use domain::AppError;
use domain::auth::{ANY_ROLE, RequestAuth};
use domain::i18n::Lang;
use domain::model::Scope;
use domain::model::{Comparison, DriverAnalysis, IndexFilter, IndicesReport};
use domain::services::exports::{self, ExportLayout};
use domain::services::{drivers, indices, instruments, rounds, settings, weighting};

/// Whether to add the figures weighted by the round's population counts.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
pub struct WeightedQuery {
    /// Add `weighted`: indices post-stratified by the population counts
    /// entered for the round (whole round only; absent when none are entered).
    #[serde(default)]
    pub weighted: bool,
}

/// The report with its weighted figures when `query` asks for them.
async fn with_weighted(
    db: &sea_orm::DatabaseConnection,
    round: &domain::entities::round::Model,
    filter: &indices::Filter,
    query: &WeightedQuery,
) -> Result<IndicesReport, AppError> {
    if query.weighted && !filter.is_whole_round() {
        return Err(AppError::invalid(
            "weighted",
            domain::model::Problem::WeightedWholeRoundOnly,
        ));
    }
    let instrument = instruments::load(db, round.instrument_id).await?;
    let mut report = indices::report_on(db, round, &instrument, filter).await?;
    if query.weighted {
        report.weighted = weighting::weighted(db, round, &instrument, Lang::Vi).await?;
    }
    Ok(report)
}

/// Per criterion: valid and satisfied counts, index, 95% Wilson interval,
/// mean score and the 1..5 distribution; per element the index; the overall
/// index with an approximate interval; expectations ranked; perception
/// shares; and the formula version. The filters restrict the figures to
/// part of the round; `weighted=true` adds the figures weighted by the
/// round's population counts beside the official unweighted ones.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/indices",
    tag = "indices",
    params(("slug" = String, Path, description = "The round's slug"), IndexFilter, WeightedQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The round's indices", body = IndicesReport),
        (status = 401, description = "No valid token or session", body = domain::error::ErrorBody),
        (status = 404, description = "No such round", body = domain::error::ErrorBody),
        (status = 422, description = "An unknown filter value, or a filter with weighted=true, named", body = domain::error::ErrorBody)
    )
)]
pub async fn round_indices(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
    Query(filter): Query<IndexFilter>,
    Query(weighted): Query<WeightedQuery>,
) -> Result<Json<IndicesReport>, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let filter = indices::resolve_filter(&state.db, &filter).await?;
    Ok(Json(
        with_weighted(&state.db, &round, &filter, &weighted).await?,
    ))
}

/// What drives overall satisfaction in the whole round: per index
/// criterion its Pearson r with the overall question (O1), the answer
/// pairs behind it, Johnson's relative weight, its index, target and place
/// on the importance–performance matrix; R² and the number of complete
/// responses. No weights below 30 complete responses (`hidden` says why).
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/drivers",
    tag = "indices",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The round's driver analysis", body = DriverAnalysis),
        (status = 401, description = "No valid token or session", body = domain::error::ErrorBody),
        (status = 404, description = "No such round", body = domain::error::ErrorBody)
    )
)]
pub async fn round_drivers(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
) -> Result<Json<DriverAnalysis>, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    let db = &state.db;
    let round = rounds::require(db, &slug).await?;
    let report = indices::report(db, &round, &indices::Filter::default()).await?;
    let target = settings::target_index(db).await?;
    let element_targets = settings::element_targets(db).await?;
    let instrument = instruments::load(db, round.instrument_id).await?;
    Ok(Json(
        drivers::of_round(db, &round, &instrument, &report, target, &element_targets).await?,
    ))
}

/// Round `b` against round `a`: per criterion the change with a
/// two-proportion z-test (significant when p < 0.05), per element and overall the change.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{a}/compare/{b}",
    tag = "indices",
    params(("a" = String, Path, description = "The base round"), ("b" = String, Path, description = "The round compared with it")),
    security(("bearer" = [])),
    responses((status = 200, body = Comparison), (status = 401, body = domain::error::ErrorBody), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn compare_rounds(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path((a, b)): Path<(String, String)>,
) -> Result<Json<Comparison>, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    let filter = indices::Filter::default();
    let base = rounds::require(&state.db, &a).await?;
    let other = rounds::require(&state.db, &b).await?;
    Ok(Json(indices::compare(
        &indices::report(&state.db, &base, &filter).await?,
        &indices::report(&state.db, &other, &filter).await?,
    )))
}

/// Every response of the round, one row each, answers under their criterion
/// codes (empty: not answered; 0: not applicable).
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/responses.csv",
    tag = "exports",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses((status = 200, description = "CSV, UTF-8 with a byte-order mark", content_type = "text/csv"), (status = 401, body = domain::error::ErrorBody), (status = 429, body = domain::error::ErrorBody))
)]
pub async fn responses_csv(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::ResponsesRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let layout = ExportLayout::load(&state.db, &round, &principal).await?;
    let name = format!("{}-responses.csv", round.slug);
    let permit = exports::export_permit(&principal)?;
    let mut file = private_file()?;
    exports::write_csv(&state.db, round, layout, file.as_file_mut()).await?;
    drop(permit);
    from_file(name, "text/csv; charset=utf-8", file).await
}

/// The same as XLSX, written in constant memory.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/responses.xlsx",
    tag = "exports",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = domain::error::ErrorBody), (status = 429, body = domain::error::ErrorBody))
)]
pub async fn responses_xlsx(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let principal = auth.require_scoped(ANY_ROLE, Scope::ResponsesRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let layout = ExportLayout::load(&state.db, &round, &principal).await?;
    let permit = exports::export_permit(&principal)?;
    let mut file = private_file()?;
    exports::write_xlsx(&state.db, &round, &layout, file.as_file_mut()).await?;
    drop(permit);
    from_file(format!("{}-responses.xlsx", round.slug), super::XLSX, file).await
}

/// A temporary file only this process's user can read (mode 0600), removed
/// when dropped.
fn private_file() -> Result<tempfile::NamedTempFile, AppError> {
    tempfile::Builder::new()
        .prefix("hailong-export-")
        .tempfile()
        .map_err(|e| AppError::Internal(format!("export file: {e}")))
}

/// Answers a finished export from its file. Exports are written whole
/// before the first byte goes out, so the database connection is back in
/// the pool however slowly the client reads.
async fn from_file(
    name: String,
    content_type: &'static str,
    file: tempfile::NamedTempFile,
) -> Result<Response, ApiError> {
    let internal = |e: std::io::Error| AppError::Internal(format!("export file: {e}"));
    let length = file.as_file().metadata().map_err(internal)?.len();
    // The open handle keeps the data readable; the name goes with `file`.
    let reader = tokio::fs::File::from_std(file.reopen().map_err(internal)?);
    drop(file);
    let mut response = attachment(
        &name,
        content_type,
        Body::from_stream(tokio_util::io::ReaderStream::new(reader)),
    );
    response
        .headers_mut()
        .insert(header::CONTENT_LENGTH, header::HeaderValue::from(length));
    Ok(response)
}

/// The index tables (elements, criteria with every count, expectations) as
/// XLSX; with `weighted=true`, a sheet of the weighted figures too.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/indices.xlsx",
    tag = "exports",
    params(("slug" = String, Path, description = "The round's slug"), IndexFilter, WeightedQuery),
    security(("bearer" = [])),
    responses((status = 200, description = "XLSX workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = domain::error::ErrorBody), (status = 422, description = "A filter with weighted=true, or an unknown filter value", body = domain::error::ErrorBody))
)]
pub async fn indices_xlsx(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    Path(slug): Path<String>,
    Query(filter): Query<IndexFilter>,
    Query(weighted): Query<WeightedQuery>,
) -> Result<Response, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    let round = rounds::require(&state.db, &slug).await?;
    let filter = indices::resolve_filter(&state.db, &filter).await?;
    let report = with_weighted(&state.db, &round, &filter, &weighted).await?;
    let bytes = exports::indices_xlsx(&report, Lang::Vi)?;
    Ok(attachment(
        &format!("{}-indices.xlsx", round.slug),
        super::XLSX,
        Body::from(bytes),
    ))
}

/// The evidence pack of a published round, for the administrative-reform
/// self-assessment: the approved index tables (XLSX), the approved charts
/// (SVG), the six-monthly feedback report (XLSX) and the permanent public
/// links, in one ZIP. 409 until the round's results are published.
#[utoipa::path(
    get,
    path = "/api/v1/rounds/{slug}/evidence.zip",
    tag = "exports",
    params(("slug" = String, Path, description = "The round's slug")),
    security(("bearer" = [])),
    responses((status = 200, description = "ZIP archive", content_type = "application/zip"), (status = 401, body = domain::error::ErrorBody), (status = 404, body = domain::error::ErrorBody), (status = 409, description = "The results are not published yet", body = domain::error::ErrorBody))
)]
pub async fn evidence_zip(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
    headers: axum::http::HeaderMap,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    auth.require_scoped(ANY_ROLE, Scope::IndicesRead)?;
    let base_url = state.public_base_url_for(Some(&headers)).await?;
    let today = domain::working_days::vietnam_date(chrono::Utc::now());
    let (name, bytes) =
        domain::services::evidence::pack(&state.db, &slug, &base_url, today).await?;
    Ok(attachment(&name, "application/zip", Body::from(bytes)))
}
