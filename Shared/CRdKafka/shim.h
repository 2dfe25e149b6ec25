#include <librdkafka/rdkafka.h>

/* rd_kafka_producev is variadic, which Swift cannot call; this inline wrapper can. */
static inline rd_kafka_resp_err_t medsup_produce(rd_kafka_t *rk, const char *topic,
        const void *key, size_t key_len, void *value, size_t value_len,
        rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(rk,
        RD_KAFKA_V_TOPIC(topic),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key, key_len),
        RD_KAFKA_V_VALUE(value, value_len),
        RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(opaque),
        RD_KAFKA_V_END);
}
