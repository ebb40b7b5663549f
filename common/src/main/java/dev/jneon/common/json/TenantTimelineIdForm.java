package dev.jneon.common.json;

import dev.jneon.common.id.TenantId;
import dev.jneon.common.id.TenantTimelineId;
import dev.jneon.common.id.TimelineId;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * {@link TenantTimelineId} as Neon writes it: {@code {"tenant_id": "<hex>", "timeline_id": "<hex>"}}.
 * Other fields are ignored on read. Stateless, thread-safe.
 */
final class TenantTimelineIdForm {

    private TenantTimelineIdForm() {
    }

    static final class Writer extends StdSerializer<TenantTimelineId> {
        Writer() {
            super(TenantTimelineId.class);
        }

        @Override
        public void serialize(TenantTimelineId value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeStartObject();
            gen.writeStringProperty("tenant_id", value.tenantId().toString());
            gen.writeStringProperty("timeline_id", value.timelineId().toString());
            gen.writeEndObject();
        }
    }

    static final class Reader extends StdDeserializer<TenantTimelineId> {
        Reader() {
            super(TenantTimelineId.class);
        }

        @Override
        public TenantTimelineId deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonNode node = ctxt.readTree(p);
            if (!node.isObject()) {
                return ctxt.reportInputMismatch(this, "TenantTimelineId must be an object with tenant_id and timeline_id");
            }
            JsonNode tenant = node.get("tenant_id");
            JsonNode timeline = node.get("timeline_id");
            if (tenant == null || !tenant.isString() || timeline == null || !timeline.isString()) {
                return ctxt.reportInputMismatch(this, "TenantTimelineId needs string fields tenant_id and timeline_id");
            }
            try {
                return new TenantTimelineId(TenantId.parse(tenant.stringValue()), TimelineId.parse(timeline.stringValue()));
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(node.toString(), TenantTimelineId.class, e.getMessage());
            }
        }
    }
}
