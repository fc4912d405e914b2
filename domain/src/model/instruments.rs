//! Questionnaires: the kinds of element, the answer scales, and what the instrument pages show.

#[allow(unused_imports)]
use super::*;
use serde::{Deserialize, Serialize};

codes! {
    /// The section an element belongs to; only `Index` elements enter the index.
    ElementKind {
        Index => "index",
        Overall => "overall",
        Perception => "perception",
        Expectation => "expectation",
    }
}

impl ElementKind {
    /// Whether the web form asks for an answer (or "not applicable") to every criterion.
    pub fn is_required(self) -> bool {
        matches!(self, Self::Index | Self::Overall)
    }
}

codes! {
    /// Answer scale of a criterion.
    Scale {
        /// 1 Rất không hài lòng … 5 Rất hài lòng, plus not applicable.
        Satisfaction5 => "satisfaction5",
        /// 1 Không · 2 Một vài lần · 3 Nhiều lần.
        Frequency3 => "frequency3",
        /// 1 Rất nhiều · 2 Nhiều · 3 Ít.
        Priority3 => "priority3",
    }
}

impl Scale {
    pub fn max(self) -> u8 {
        match self {
            Self::Satisfaction5 => 5,
            Self::Frequency3 | Self::Priority3 => 3,
        }
    }

    /// Only the satisfaction scale offers "not applicable / don't know".
    pub fn allows_not_applicable(self) -> bool {
        matches!(self, Self::Satisfaction5)
    }
}

/// An instrument version as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentSummary {
    pub id: i32,
    pub code: String,
    pub version: i32,
    pub title: String,
    /// Used by an opened round: it no longer changes.
    pub frozen: bool,
    pub criteria: u32,
}

/// One instrument version with everything in it, for its edit page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InstrumentDetail {
    pub id: i32,
    pub code: String,
    pub version: i32,
    pub title_vi: String,
    pub title_en: String,
    pub audience: String,
    pub frozen: bool,
    pub profile_fields: Vec<ProfileField>,
    pub asks_comment: bool,
    pub elements: Vec<ElementDetail>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElementDetail {
    pub id: i32,
    pub code: String,
    pub kind: ElementKind,
    pub title_vi: String,
    pub title_en: String,
    pub criteria: Vec<CriterionDetail>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriterionDetail {
    pub id: i32,
    pub code: String,
    pub text_vi: String,
    pub text_en: String,
}
