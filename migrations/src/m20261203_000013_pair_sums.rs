//! The sums behind the driver analysis, kept in each response's
//! transaction like the tallies: for every pair of a round's index
//! criteria, and for each index criterion with the overall question (O1),
//! the count and the sums Σx, Σy, Σx², Σy², Σxy over the responses that
//! answer both validly; and the count of responses that answer O1 and
//! every index criterion validly. A fixed number of rows per round, however
//! many responses it has.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The criteria the driver analysis reads, per instrument: its index
/// criteria (predictors) and its outcome, the first criterion of its first
/// overall element; instruments without an overall question have neither.
/// (The same rule as `domain::services::pair_sums`, written here again as
/// migrations are frozen history.)
const DRIVERS: &str = "WITH outcome AS (SELECT i.id AS instrument_id, \
        (SELECT c.id FROM criteria c JOIN elements e ON e.id = c.element_id \
         WHERE e.instrument_id = i.id AND e.kind = 'overall' ORDER BY e.position, e.id, c.position, c.id LIMIT 1) AS criterion_id \
        FROM instruments i), \
    predictor AS (SELECT c.instrument_id, c.id AS criterion_id FROM criteria c JOIN elements e ON e.id = c.element_id \
        WHERE e.kind = 'index' AND c.instrument_id IN (SELECT instrument_id FROM outcome WHERE criterion_id IS NOT NULL)), \
    valid AS (SELECT r.round_id, a.response_id, a.criterion_id, CAST(a.value AS BIGINT) AS value \
        FROM answers a JOIN responses r ON r.id = a.response_id \
        WHERE r.excluded = false AND a.value BETWEEN 1 AND 5) ";

/// Fills both tables from the answers already stored.
fn fill_pairs() -> String {
    format!(
        "{DRIVERS}INSERT INTO pair_sums \
            (round_id, x_criterion_id, y_criterion_id, n, sum_x, sum_y, sum_xx, sum_yy, sum_xy) \
         SELECT x.round_id, x.criterion_id, y.criterion_id, COUNT(*), SUM(x.value), SUM(y.value), \
            SUM(x.value * x.value), SUM(y.value * y.value), SUM(x.value * y.value) \
         FROM valid x JOIN valid y ON y.response_id = x.response_id \
         WHERE x.criterion_id IN (SELECT criterion_id FROM predictor) \
           AND ((y.criterion_id IN (SELECT criterion_id FROM predictor) AND x.criterion_id < y.criterion_id) \
                OR y.criterion_id IN (SELECT criterion_id FROM outcome)) \
         GROUP BY x.round_id, x.criterion_id, y.criterion_id"
    )
}

fn fill_complete() -> String {
    format!(
        "{DRIVERS}, \
         driver AS (SELECT instrument_id, criterion_id FROM predictor \
             UNION ALL SELECT instrument_id, criterion_id FROM outcome WHERE criterion_id IS NOT NULL), \
         needed AS (SELECT instrument_id, COUNT(*) AS count FROM driver GROUP BY instrument_id), \
         answered AS (SELECT v.round_id, d.instrument_id, v.response_id, COUNT(*) AS count \
             FROM valid v JOIN driver d ON d.criterion_id = v.criterion_id \
             GROUP BY v.round_id, d.instrument_id, v.response_id) \
         INSERT INTO complete_responses (round_id, count) \
         SELECT a.round_id, COUNT(*) FROM answered a JOIN needed n ON n.instrument_id = a.instrument_id \
         WHERE a.count = n.count GROUP BY a.round_id"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PairSums::Table)
                    .col(integer(PairSums::RoundId))
                    // an index criterion
                    .col(integer(PairSums::XCriterionId))
                    // another index criterion (with a higher id), or the overall question
                    .col(integer(PairSums::YCriterionId))
                    .col(big_integer(PairSums::N))
                    .col(big_integer(PairSums::SumX))
                    .col(big_integer(PairSums::SumY))
                    .col(big_integer(PairSums::SumXx))
                    .col(big_integer(PairSums::SumYy))
                    .col(big_integer(PairSums::SumXy))
                    .primary_key(
                        Index::create()
                            .col(PairSums::RoundId)
                            .col(PairSums::XCriterionId)
                            .col(PairSums::YCriterionId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompleteResponses::Table)
                    .col(integer(CompleteResponses::RoundId).primary_key())
                    .col(big_integer(CompleteResponses::Count))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&fill_pairs()).await?;
        db.execute_unprepared(&fill_complete()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CompleteResponses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PairSums::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PairSums {
    Table,
    RoundId,
    XCriterionId,
    YCriterionId,
    N,
    SumX,
    SumY,
    SumXx,
    SumYy,
    SumXy,
}

#[derive(DeriveIden)]
enum CompleteResponses {
    Table,
    RoundId,
    Count,
}
