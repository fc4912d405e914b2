//! Instruments: the questionnaires and their versions.

use super::ApiError;
use app::ssr::AppState;
use axum::Json;
use axum::extract::{Extension, Path, State};
use domain::AppError;
use domain::auth::RequestAuth;
use domain::i18n::Lang;
use domain::model::Scope;
use domain::model::{InstrumentSummary, Role};
use domain::services::instruments;
use serde::Serialize;

/// Every instrument version.
#[utoipa::path(
    get,
    path = "/api/v1/instruments",
    tag = "instruments",
    security(("bearer" = [])),
    responses((status = 200, body = [InstrumentSummaryBody]), (status = 401, body = domain::error::ErrorBody))
)]
pub async fn list_instruments(
    State(state): State<AppState>,
    Extension(auth): Extension<RequestAuth>,
) -> Result<Json<Vec<InstrumentSummaryBody>>, ApiError> {
    auth.require_scoped(
        &[Role::Admin, Role::Staff, Role::Leader],
        Scope::IndicesRead,
    )?;
    Ok(Json(
        instruments::list(&state.db, Lang::Vi)
            .await?
            .into_iter()
            .map(InstrumentSummaryBody::from)
            .collect(),
    ))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstrumentSummaryBody {
    pub code: String,
    pub version: i32,
    pub title_vi: String,
    /// Used by an opened round: it no longer changes.
    pub frozen: bool,
    pub criteria: u32,
}

impl From<InstrumentSummary> for InstrumentSummaryBody {
    fn from(s: InstrumentSummary) -> Self {
        Self {
            code: s.code,
            version: s.version,
            title_vi: s.title,
            frozen: s.frozen,
            criteria: s.criteria,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InstrumentBody {
    pub code: String,
    pub version: i32,
    pub title_vi: String,
    pub title_en: String,
    pub frozen: bool,
    /// Profile questions asked: respondent_type, department, procedure, submission_method.
    pub profile_fields: Vec<String>,
    pub asks_comment: bool,
    pub elements: Vec<ElementBody>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ElementBody {
    pub code: String,
    /// index | overall | perception | expectation
    pub kind: String,
    pub title_vi: String,
    pub title_en: String,
    pub criteria: Vec<CriterionBody>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CriterionBody {
    pub code: String,
    /// satisfaction5 | frequency3 | priority3
    pub scale: String,
    pub text_vi: String,
    pub text_en: String,
}

/// One version with its elements and criteria.
#[utoipa::path(
    get,
    path = "/api/v1/instruments/{code}/{version}",
    tag = "instruments",
    params(("code" = String, Path, description = "e.g. dvhcc"), ("version" = i32, Path, description = "e.g. 1")),
    responses((status = 200, body = InstrumentBody), (status = 404, body = domain::error::ErrorBody))
)]
pub async fn get_instrument(
    State(state): State<AppState>,
    Path((code, version)): Path<(String, i32)>,
) -> Result<Json<InstrumentBody>, ApiError> {
    let found = instruments::find(&state.db, &code, version)
        .await?
        .ok_or(AppError::NotFound("instrument"))?;
    let loaded = instruments::load(&state.db, found.id).await?;
    Ok(Json(InstrumentBody {
        code: loaded.instrument.code.clone(),
        version: loaded.instrument.version,
        title_vi: loaded.instrument.title_vi.clone(),
        title_en: loaded.instrument.title_en.clone(),
        frozen: loaded.instrument.status == "frozen",
        profile_fields: loaded
            .profile_fields()
            .iter()
            .map(|f| f.code().to_owned())
            .collect(),
        asks_comment: loaded.instrument.asks_comment,
        elements: loaded
            .elements
            .iter()
            .map(|e| ElementBody {
                code: e.code.clone(),
                kind: e.kind.code().to_owned(),
                title_vi: e.title_vi.clone(),
                title_en: e.title_en.clone(),
                criteria: e
                    .criteria
                    .iter()
                    .map(|c| CriterionBody {
                        code: c.code.clone(),
                        scale: c.scale.code().to_owned(),
                        text_vi: c.text_vi.clone(),
                        text_en: c.text_en.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}
