//! The population counts a round's figures can be weighted by
//! (post-stratification): how many businesses, citizens and partner
//! agencies (or how many users of each department) the agency served in
//! the round's half-year, entered by staff. Weighted figures sit beside the
//! official unweighted ones.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RoundPopulations::Table)
                    .col(integer(RoundPopulations::RoundId))
                    // respondent_type | department: one dimension per round
                    .col(string_len(RoundPopulations::Dimension, 32))
                    // the respondent type's code, or the department's code
                    .col(string_len(RoundPopulations::Value, 64))
                    .col(big_integer(RoundPopulations::Population))
                    .primary_key(
                        Index::create()
                            .col(RoundPopulations::RoundId)
                            .col(RoundPopulations::Dimension)
                            .col(RoundPopulations::Value),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RoundPopulations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RoundPopulations {
    Table,
    RoundId,
    Dimension,
    Value,
    Population,
}
