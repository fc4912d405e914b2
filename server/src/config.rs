//! Configuration from the environment, with defaults that run out of the box.

use std::net::SocketAddr;

use domain::db::DEFAULT_DATABASE_URL;

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/hailong.db`) or `postgres://…`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`: where to listen (default 127.0.0.1:3000).
    pub listen: SocketAddr,
    /// `LEPTOS_SITE_ROOT`: the folder with the built assets (default `target/site`).
    pub site_root: String,
    /// `RUST_LOG`: the log filter (default `info`).
    pub log_filter: String,
    /// `HAILONG_TRUST_PROXY=1`: behind one reverse proxy, take the client's
    /// address from the last `X-Forwarded-For` entry.
    pub trust_proxy: bool,
    /// `HAILONG_INSECURE_COOKIES=1`, for development over plain HTTP only:
    /// cookies lose `Secure` and their `__Host-` prefix (unless the proxy
    /// says `X-Forwarded-Proto: https`). Without it, cookies are always
    /// `Secure`, as behind TLS they must be.
    pub insecure_cookies: bool,
    /// `HAILONG_PUBLIC_URL`: the address the public uses (e.g.
    /// `https://khaosat.bqlkkt.gov.vn`), printed in QR codes and links.
    /// Without it, the address of each request is used.
    pub public_url: Option<String>,
    /// `HAILONG_RATE_LIMITS=off`: no per-address request budgets (load tests,
    /// or a gateway in front that limits rates itself).
    pub without_rate_limits: bool,
    /// `HAILONG_SMTP_URL` with `HAILONG_MAIL_FROM` (and optionally
    /// `HAILONG_MAIL_REPLY_TO`): the mail server the outbox delivers through.
    /// Without them e-mails stay queued.
    pub mail: Option<domain::services::outbox::MailSettings>,
    /// `HAILONG_MAIL_PER_MINUTE` and `HAILONG_MAIL_PER_DOMAIN_PER_MINUTE`:
    /// how many e-mails a minute go out, in all and to one domain (120 and
    /// 30 by default).
    pub mail_rates: domain::services::outbox::SendRates,
    /// `HAILONG_SMS_WEBHOOK_URL` (with `HAILONG_SMS_WEBHOOK_HEADERS`,
    /// `HAILONG_SMS_WEBHOOK_BODY` and `HAILONG_SMS_WEBHOOK_CONTENT_TYPE`):
    /// the SMS gateway text messages are POSTed to. Without it they stay
    /// queued.
    pub sms: Option<domain::services::outbox::SmsSettings>,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads the settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let non_empty = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let flag =
            |key: &str| non_empty(key).is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
        let listen = non_empty("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_owned());
        Ok(Self {
            database_url: non_empty("DATABASE_URL")
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            listen: listen.parse().map_err(|e| {
                anyhow::anyhow!(
                    "LEPTOS_SITE_ADDR={listen} is not an address like 127.0.0.1:3000: {e}"
                )
            })?,
            site_root: non_empty("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            log_filter: non_empty("RUST_LOG").unwrap_or_else(|| "info".to_owned()),
            trust_proxy: flag("HAILONG_TRUST_PROXY"),
            insecure_cookies: flag("HAILONG_INSECURE_COOKIES"),
            public_url: non_empty("HAILONG_PUBLIC_URL"),
            without_rate_limits: non_empty("HAILONG_RATE_LIMITS")
                .is_some_and(|v| matches!(v.trim(), "off" | "0" | "false" | "no")),
            mail: match (
                non_empty("HAILONG_SMTP_URL"),
                non_empty("HAILONG_MAIL_FROM"),
            ) {
                (Some(smtp_url), Some(from)) => Some(domain::services::outbox::MailSettings {
                    smtp_url,
                    from,
                    reply_to: non_empty("HAILONG_MAIL_REPLY_TO"),
                }),
                (None, None) => None,
                (Some(_), None) => anyhow::bail!(
                    "HAILONG_SMTP_URL is set without HAILONG_MAIL_FROM (the sender's address, e.g. \"Ban Quản lý <khaosat@example.gov.vn>\")"
                ),
                (None, Some(_)) => anyhow::bail!(
                    "HAILONG_MAIL_FROM is set without HAILONG_SMTP_URL (e.g. smtp://user:pass@mail.example.gov.vn:587?tls=required)"
                ),
            },
            mail_rates: {
                let defaults = domain::services::outbox::SendRates::default();
                let rate = |key: &str, default: u32| -> anyhow::Result<u32> {
                    match non_empty(key) {
                        None => Ok(default),
                        Some(v) => v.trim().parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(
                            || anyhow::anyhow!("{key}={v} is not a whole number of e-mails a minute (1 or more)"),
                        ),
                    }
                };
                domain::services::outbox::SendRates {
                    per_minute: rate("HAILONG_MAIL_PER_MINUTE", defaults.per_minute)?,
                    per_domain_per_minute: rate(
                        "HAILONG_MAIL_PER_DOMAIN_PER_MINUTE",
                        defaults.per_domain_per_minute,
                    )?,
                }
            },
            sms: non_empty("HAILONG_SMS_WEBHOOK_URL").map(|url| {
                domain::services::outbox::SmsSettings {
                    url,
                    // Header lines may be written with \n in one line of a unit file.
                    headers: lookup("HAILONG_SMS_WEBHOOK_HEADERS")
                        .unwrap_or_default()
                        .replace("\\n", "\n"),
                    body: lookup("HAILONG_SMS_WEBHOOK_BODY").unwrap_or_default(),
                    content_type: lookup("HAILONG_SMS_WEBHOOK_CONTENT_TYPE").unwrap_or_default(),
                }
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_on_sqlite_locally() {
        let config = Config::from_lookup(|_| None).unwrap();
        assert_eq!(config.database_url, "sqlite://data/hailong.db");
        assert_eq!(config.listen.to_string(), "127.0.0.1:3000");
    }

    #[test]
    fn rate_limits_are_on_unless_switched_off() {
        let with = |value: &'static str| {
            Config::from_lookup(|k| (k == "HAILONG_RATE_LIMITS").then(|| value.to_owned()))
                .unwrap()
                .without_rate_limits
        };
        assert!(!Config::from_lookup(|_| None).unwrap().without_rate_limits);
        assert!(with("off"));
        assert!(with(" 0 "));
        assert!(!with("on"));
        assert!(!with(""));
    }

    #[test]
    fn mail_needs_both_the_server_and_the_sender() {
        let with = |pairs: &'static [(&'static str, &'static str)]| {
            Config::from_lookup(move |k| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        assert!(with(&[]).unwrap().mail.is_none());
        let both = with(&[
            ("HAILONG_SMTP_URL", "smtp://127.0.0.1:2525"),
            ("HAILONG_MAIL_FROM", "khaosat@example.vn"),
        ])
        .unwrap()
        .mail
        .unwrap();
        assert_eq!(both.smtp_url, "smtp://127.0.0.1:2525");
        assert!(both.reply_to.is_none());
        let err = with(&[("HAILONG_SMTP_URL", "smtp://x")]).unwrap_err();
        assert!(err.to_string().contains("HAILONG_MAIL_FROM"));
        let err = with(&[("HAILONG_MAIL_FROM", "a@b.vn")]).unwrap_err();
        assert!(err.to_string().contains("HAILONG_SMTP_URL"));
    }

    #[test]
    fn a_bad_address_is_reported_with_its_variable() {
        let err = Config::from_lookup(|k| (k == "LEPTOS_SITE_ADDR").then(|| "nonsense".to_owned()))
            .unwrap_err();
        assert!(err.to_string().contains("LEPTOS_SITE_ADDR=nonsense"));
    }

    #[test]
    fn the_sms_gateway_is_set_by_its_url_with_header_lines() {
        let config = Config::from_lookup(|k| match k {
            "HAILONG_SMS_WEBHOOK_URL" => Some("https://sms.example.vn/send".to_owned()),
            "HAILONG_SMS_WEBHOOK_HEADERS" => Some("X-Api-Key: a\\nX-Brandname: b".to_owned()),
            _ => None,
        })
        .unwrap();
        let sms = config.sms.unwrap();
        assert_eq!(sms.url, "https://sms.example.vn/send");
        assert_eq!(sms.headers, "X-Api-Key: a\nX-Brandname: b");
        assert!(Config::from_lookup(|_| None).unwrap().sms.is_none());
    }

    #[test]
    fn mail_rates_have_defaults_and_refuse_what_is_not_a_rate() {
        let defaults = Config::from_lookup(|_| None).unwrap().mail_rates;
        assert_eq!(
            (defaults.per_minute, defaults.per_domain_per_minute),
            (120, 30)
        );
        let set = Config::from_lookup(|k| {
            (k == "HAILONG_MAIL_PER_DOMAIN_PER_MINUTE").then(|| "10".to_owned())
        })
        .unwrap()
        .mail_rates;
        assert_eq!(set.per_domain_per_minute, 10);
        let err = Config::from_lookup(|k| (k == "HAILONG_MAIL_PER_MINUTE").then(|| "0".to_owned()))
            .unwrap_err();
        assert!(err.to_string().contains("HAILONG_MAIL_PER_MINUTE"));
    }
}
