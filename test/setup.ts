// Run every test in a zone far from UTC (UTC+12:45/+13:45 with its own DST) so that code which
// accidentally uses the machine's local time instead of lib/time.ts fails here, not in production.
process.env.TZ = "Pacific/Chatham";
