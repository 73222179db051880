//! A `tracing` layer writing hclog JSON lines, the format Terraform parses from a plugin's stderr
//! and re-logs at the line's own level (tfplugin5.md §2.5):
//! `{"@level":"debug","@message":"…","@module":"provider","@timestamp":"2026-11-23T10:04:05.123456Z",…}`.
//! Fields of the enclosing spans (`tf_rpc`, `tf_req_id`, `tf_resource_type`) are flattened in.

use std::fmt;
use std::io::Write;

use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Record};
use tracing::{Event, Id, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// Go layout "2006-01-02T15:04:05.000000Z07:00" for a UTC time (the offset is written `Z`).
const TIMESTAMP: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// The `@module` of every line, as terraform-plugin-log names provider logs.
const MODULE: &str = "provider";

pub struct HclogLayer<W> {
    make_writer: W,
}

impl<W> HclogLayer<W> {
    pub fn new(make_writer: W) -> Self {
        HclogLayer { make_writer }
    }
}

/// Fields recorded on a span, kept in its extensions.
struct SpanFields(Map<String, Value>);

struct JsonVisitor<'a> {
    fields: &'a mut Map<String, Value>,
}

impl Visit for JsonVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields.insert(field.name().to_string(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.insert(field.name().to_string(), Value::from(value));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.insert(field.name().to_string(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.insert(field.name().to_string(), Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        // NaN and infinities have no JSON form: keep them as text.
        let json = serde_json::Number::from_f64(value).map_or_else(|| Value::from(value.to_string()), Value::Number);
        self.fields.insert(field.name().to_string(), json);
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.fields.insert(field.name().to_string(), Value::from(value.to_string()));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.fields.insert(field.name().to_string(), Value::from(format!("{value:?}")));
    }
}

fn level_name(level: &Level) -> &'static str {
    match *level {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// One log line (without the newline).
pub fn format_line(
    level: &Level,
    message: &str,
    timestamp: OffsetDateTime,
    fields: impl IntoIterator<Item = (String, Value)>,
) -> String {
    let mut line = Map::new();
    line.insert("@level".into(), Value::from(level_name(level)));
    line.insert("@message".into(), Value::from(message));
    line.insert("@module".into(), Value::from(MODULE));
    let stamp = timestamp.to_offset(time::UtcOffset::UTC).format(TIMESTAMP).unwrap_or_default();
    line.insert("@timestamp".into(), Value::from(stamp));
    for (key, value) in fields {
        // Reserved keys belong to the line itself.
        if !key.starts_with('@') {
            line.insert(key, value);
        }
    }
    Value::Object(line).to_string()
}

impl<S, W> Layer<S> for HclogLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            let mut fields = Map::new();
            attrs.record(&mut JsonVisitor { fields: &mut fields });
            span.extensions_mut().insert(SpanFields(fields));
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            let mut extensions = span.extensions_mut();
            if let Some(SpanFields(fields)) = extensions.get_mut::<SpanFields>() {
                values.record(&mut JsonVisitor { fields });
            }
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Map::new();
        if let Some(scope) = ctx.event_scope(event) {
            for span in scope.from_root() {
                if let Some(SpanFields(span_fields)) = span.extensions().get::<SpanFields>() {
                    fields.extend(span_fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
        }
        event.record(&mut JsonVisitor { fields: &mut fields });
        let message = match fields.remove("message") {
            Some(Value::String(s)) => s,
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let mut line = format_line(event.metadata().level(), &message, OffsetDateTime::now_utc(), fields);
        line.push('\n');
        // One write per line so lines from concurrent requests never interleave. A failed write
        // (Terraform gone) has nowhere to be reported.
        let _ = self.make_writer.make_writer().write_all(line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tracing_subscriber::layer::SubscriberExt;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'a> MakeWriter<'a> for Buffer {
        type Writer = Buffer;
        fn make_writer(&'a self) -> Buffer {
            self.clone()
        }
    }

    fn capture(f: impl FnOnce()) -> Vec<Value> {
        let buffer = Buffer::default();
        let subscriber = tracing_subscriber::registry().with(HclogLayer::new(buffer.clone()));
        tracing::subscriber::with_default(subscriber, f);
        let bytes = buffer.0.lock().map(|b| b.clone()).unwrap_or_default();
        String::from_utf8(bytes)
            .expect("utf-8")
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
            .collect()
    }

    #[test]
    fn timestamp_has_microseconds_and_utc_offset() {
        let at = time::macros::datetime!(2026-11-23 10:04:05.123456789 +02:00);
        let line: Value = serde_json::from_str(&format_line(&Level::INFO, "m", at, [])).expect("json");
        // Converted to UTC and cut (not rounded) to microseconds, like Go's .000000.
        assert_eq!(line["@timestamp"], "2026-11-23T08:04:05.123456Z");
        let at = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        let line: Value = serde_json::from_str(&format_line(&Level::INFO, "m", at, [])).expect("json");
        assert_eq!(line["@timestamp"], "2026-01-02T03:04:05.000000Z");
    }

    #[test]
    fn reserved_keys_come_first_and_cannot_be_overridden() {
        let at = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        let text = format_line(&Level::WARN, "hello", at, [("@level".to_string(), Value::from("error"))]);
        assert!(
            text.starts_with(r#"{"@level":"warn","@message":"hello","@module":"provider","@timestamp":"#),
            "{text}"
        );
    }

    #[test]
    fn events_carry_level_message_and_span_fields() {
        let lines = capture(|| {
            let span = tracing::error_span!(
                "rpc",
                tf_rpc = "ReadResource",
                tf_req_id = "abc",
                tf_resource_type = tracing::field::Empty
            );
            span.record("tf_resource_type", "apig_certificate");
            let _entered = span.enter();
            tracing::debug!(attempt = 2, ok = true, "calling the API");
            tracing::trace!("trace line");
            tracing::error!(error = %"boom", "failed");
        });
        assert_eq!(lines.len(), 3);
        let first = &lines[0];
        assert_eq!(first["@level"], "debug");
        assert_eq!(first["@message"], "calling the API");
        assert_eq!(first["@module"], "provider");
        assert_eq!(first["tf_rpc"], "ReadResource");
        assert_eq!(first["tf_req_id"], "abc");
        assert_eq!(first["tf_resource_type"], "apig_certificate");
        assert_eq!(first["attempt"], 2);
        assert_eq!(first["ok"], true);
        assert!(first.get("message").is_none());
        assert_eq!(lines[1]["@level"], "trace");
        assert_eq!(lines[2]["@level"], "error");
        assert_eq!(lines[2]["error"], "boom");
    }

    #[test]
    fn lines_outside_spans_have_no_request_fields() {
        let lines = capture(|| tracing::info!("starting"));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["@level"], "info");
        assert!(lines[0].get("tf_req_id").is_none());
    }
}
