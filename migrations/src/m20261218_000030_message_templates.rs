//! Message templates: each save of a message's wording (one kind of
//! message, one language) is a new numbered version; the newest is in use.
//! Older versions stay, so what a message said on a given day can be told
//! and an earlier wording brought back.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MessageTemplates::Table)
                    .col(pk_auto(MessageTemplates::Id))
                    .col(string_len(MessageTemplates::Kind, 40))
                    .col(string_len(MessageTemplates::Lang, 2))
                    .col(integer(MessageTemplates::Version))
                    .col(text(MessageTemplates::Subject))
                    .col(text(MessageTemplates::Body))
                    .col(text(MessageTemplates::Sms))
                    .col(integer_null(MessageTemplates::SavedBy))
                    .col(timestamp_with_time_zone(MessageTemplates::SavedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("message_templates_kind_lang_version")
                    .table(MessageTemplates::Table)
                    .col(MessageTemplates::Kind)
                    .col(MessageTemplates::Lang)
                    .col(MessageTemplates::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(MessageTemplates::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum MessageTemplates {
    Table,
    Id,
    Kind,
    Lang,
    Version,
    Subject,
    Body,
    Sms,
    SavedBy,
    SavedAt,
}
