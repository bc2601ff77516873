-- wrk script: POST a real Chromium report-uri body to /report/.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/csp-report"
wrk.body = '{"csp-report":{"document-uri":"http://127.0.0.1:41953/urionly","referrer":"","violated-directive":"img-src","effective-directive":"img-src","original-policy":"default-src \'self\'; img-src \'self\'; script-src \'self\'; report-uri /report/?token=phc_test&v=1","disposition":"report","blocked-uri":"http://127.0.0.2:42111/x.png","line-number":7,"column-number":66,"source-file":"http://127.0.0.1:41953/urionly","status-code":200,"script-sample":""}}'

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d non2xx=%d errors=%d\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
