<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name></name>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="43"/>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="44"/>
        <source>Time (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="45"/>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="46"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="47"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/audit.py" line="48"/>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="27"/>
        <source>All actions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="28"/>
        <source>The CA (created, imported, wrong passphrases)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="29"/>
        <source>Certificates (issued, renewed, revoked, exported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="30"/>
        <source>CRLs (signed, published)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="31"/>
        <source>Keys (delivered, exported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="32"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="33"/>
        <source>Audit (exports)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="44"/>
        <source>Search action, subject, user or details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="45"/>
        <source>Search the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="50"/>
        <source>Show actions of kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="56"/>
        <source>&amp;Verify integrity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="57"/>
        <source>&amp;Export as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="63"/>
        <source>Audit log entries, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="67"/>
        <source>%1 entries shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="103"/>
        <source>The audit chain is intact: %1 entries, none changed, deleted or reordered. Head hash %2 — copy it somewhere outside this computer to anchor the chain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="108"/>
        <source>The audit chain is broken (%1 problems). Treat the store as tampered with and restore it from a backup:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="112"/>
        <source>Export the audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="113"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/audit.py" line="121"/>
        <source>%1 audit entries written to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BulkDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="51"/>
        <source>Bulk issue from CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="63"/>
        <source>The CSV file needs a header row with device_id, and optionally ward and location. Each good row gets a key generated here and a certificate; the files are written to the output folder, every key encrypted with the password below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="70"/>
        <source>CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="71"/>
        <source>Choose &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="80"/>
        <source>Output folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="81"/>
        <source>Choose &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="88"/>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="91"/>
        <source>Password for the key files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="92"/>
        <source>Write it down: it opens every key file written by this run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="96"/>
        <source>Validity in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="104"/>
        <source>CSV file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="106"/>
        <source>Output folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="107"/>
        <source>Key &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="108"/>
        <source>Key file &amp;password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="109"/>
        <source>&amp;Validity (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="112"/>
        <source>&amp;Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="126"/>
        <source>Choose the CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="126"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="135"/>
        <source>Reading the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="142"/>
        <source>%1 rows to issue; %2 rows refused already (shown in the summary).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="152"/>
        <source>Choose the folder for the certificates and keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="166"/>
        <source>Bulk issuance progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="168"/>
        <source>&amp;Cancel after this row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="172"/>
        <source>Issuing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="185"/>
        <source>Signing certificates needs the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="205"/>
        <source>%1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="211"/>
        <source>Cancelling after the current row…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="225"/>
        <source>Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="226"/>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="227"/>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="229"/>
        <source>Issued and refused rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="242"/>
        <source>issued, serial %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="244"/>
        <source>refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="247"/>
        <source>%1 certificates issued into %2; %3 rows refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/bulk.py" line="250"/>
        <source>Cancelled: the remaining rows were not issued.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Certificate</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="36"/>
        <source>TLS client authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="37"/>
        <source>TLS server authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="44"/>
        <source>digital signature</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="45"/>
        <source>key encipherment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="46"/>
        <source>key agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="47"/>
        <source>certificate signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="48"/>
        <source>CRL signing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="58"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="59"/>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="60"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="61"/>
        <source>Valid from (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="62"/>
        <source>Valid until (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="63"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="64"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="64"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="65"/>
        <source>generated on this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="66"/>
        <source>from the device&apos;s CSR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="67"/>
        <source>Alternative names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="68"/>
        <source>Key usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="69"/>
        <source>Extended key usage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="70"/>
        <source>CRL distribution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="71"/>
        <source>Authority information</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="72"/>
        <source>SHA-256 fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChoicePage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="44"/>
        <source>Set up the platform CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="45"/>
        <source>Every monitor&apos;s certificate is signed by this CA. It is created once and its key is kept encrypted under a passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="47"/>
        <source>&amp;Create a new CA on this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="49"/>
        <source>&amp;Import an existing CA (certificate and encrypted key files)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="104"/>
        <source>Cannot read the passphrase file %1 (%2): check the path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="121"/>
        <source>Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="95"/>
        <source>Expiries per week, next 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="99"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="100"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="101"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="102"/>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="103"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="104"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="106"/>
        <source>Certificates that need action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="110"/>
        <source>Need action (crossed an alert threshold), soonest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="114"/>
        <source>Export report as &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="115"/>
        <source>Export report as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="165"/>
        <source>%1 devices in total; %2 not yet valid, %3 without a certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="168"/>
        <source>Figures as of %1 UTC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="183"/>
        <source>Export the expiry report as CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="183"/>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="190"/>
        <source>Export the expiry report as PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="190"/>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="200"/>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="204"/>
        <source>Report written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceDetailsDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="38"/>
        <source>Device %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="71"/>
        <source>This device has no certificate yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="73"/>
        <source>&amp;Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="81"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="82"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="83"/>
        <source>Issued (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="84"/>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="85"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="86"/>
        <source>Key made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="86"/>
        <source>here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="87"/>
        <source>on the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="88"/>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="90"/>
        <source>Certificate history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="93"/>
        <source>&amp;History (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="95"/>
        <source>Audit entries for this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="98"/>
        <source>&amp;Audit (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="102"/>
        <source>&amp;Renew…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/device_details.py" line="103"/>
        <source>Re&amp;voke…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesModel</name>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="52"/>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="53"/>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="54"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="55"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="56"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="57"/>
        <source>Expires (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/models/devices.py" line="58"/>
        <source>Days left</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="37"/>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="37"/>
        <source>Needs action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="62"/>
        <source>Search device ID, ward, location or serial (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="63"/>
        <source>Search devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="70"/>
        <source>Show devices with status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="79"/>
        <source>Sort devices by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="81"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="94"/>
        <source>%1, ascending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="95"/>
        <source>%1, descending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="176"/>
        <source>%1 devices shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/devices.py" line="177"/>
        <source>1 device shown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="53"/>
        <source>Wrong passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="54"/>
        <source>The CA is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="55"/>
        <source>Refused by the site policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="56"/>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="57"/>
        <source>Not possible in the current state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="58"/>
        <source>Please check the input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="59"/>
        <source>The data store cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="60"/>
        <source>Integrity check failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="61"/>
        <source>Cannot do that</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="63"/>
        <source>Internal error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="70"/>
        <source>Something went wrong inside the console. This is a bug, not something you did wrong. The details were written to %1; please send that file to your support team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="92"/>
        <source>the program&apos;s error output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/errors.py" line="101"/>
        <source>the program&apos;s error output (the log file could not be written)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpiryChart</name>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="92"/>
        <source>%1 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="124"/>
        <source>Expiries per week over the next 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="131"/>
        <source>%1 certificates expire in the next 12 months; the busiest week starts %2 with %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="135"/>
        <source>No certificate expires in the next 12 months.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/chart.py" line="152"/>
        <source>Week of %1: %2 expiring</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExpiryReport</name>
    <message>
        <location filename="../../zmconsole/gui/report_pdf.py" line="70"/>
        <source>Certificate expiry report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/report_pdf.py" line="76"/>
        <source>Cannot write the PDF report %1: choose a writable folder.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="98"/>
        <source>Save certificate (&amp;PEM)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="99"/>
        <source>Save certificate (&amp;DER)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="100"/>
        <source>Save &amp;CA certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="106"/>
        <source>PKCS#12 password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="107"/>
        <source>Protects the private key in the file; give it to the person installing the monitor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="108"/>
        <source>Save &amp;PKCS#12 (certificate and key)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="117"/>
        <source>PKCS#12 password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="133"/>
        <source>The console holds this certificate&apos;s key until it is delivered: the PKCS#12 export delivers it and deletes the held copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="135"/>
        <source>The console does not hold this key (the device made it, or it was already delivered): only the certificate can be exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="142"/>
        <source>Save the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="143"/>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="153"/>
        <source>PEM (*.pem *.crt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="143"/>
        <source>DER (*.der *.cer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="152"/>
        <source>Save the CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="165"/>
        <source>Save the PKCS#12 file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="165"/>
        <source>PKCS#12 (*.p12 *.pfx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="175"/>
        <source>The held key is sealed under the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/certificate.py" line="183"/>
        <source>Written to %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstRunWizard</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="308"/>
        <source>Set up the platform CA</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="175"/>
        <source>Import an existing CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="176"/>
        <source>Give its certificate (PEM or DER) and its key file, encrypted with a passphrase (for example openssl genrsa -aes256). The key is re-encrypted in the store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="185"/>
        <source>CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="186"/>
        <source>CA key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="187"/>
        <source>Passphrase of the key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="190"/>
        <source>&amp;Certificate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="190"/>
        <source>Choose the CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="191"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="192"/>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="192"/>
        <source>Choose the encrypted CA key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="193"/>
        <source>Keys (*.pem *.key);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="195"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="203"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IssueDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="56"/>
        <source>Renew the certificate of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="57"/>
        <source>Issue a device certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="74"/>
        <source>as printed on the monitor, e.g. ZM-001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="76"/>
        <source>Device ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="83"/>
        <source>becomes the OU, e.g. ICU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="84"/>
        <source>Ward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="87"/>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="94"/>
        <source>Validity in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="96"/>
        <source>&amp;Device ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="98"/>
        <source>&amp;Ward:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="99"/>
        <source>&amp;Location:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="100"/>
        <source>&amp;Validity (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="102"/>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="103"/>
        <source>The device made its key: use its &amp;certificate request (CSR)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="105"/>
        <source>&amp;Generate the key on this console (delivered as PKCS#12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="114"/>
        <source>Paste the CSR here (-----BEGIN CERTIFICATE REQUEST-----…), or load it from a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="117"/>
        <source>Certificate request text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="119"/>
        <source>Load CSR from &amp;file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="126"/>
        <source>Key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="131"/>
        <source>Key &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="148"/>
        <source>&amp;Renew</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="148"/>
        <source>&amp;Issue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="180"/>
        <source>Type the device ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="188"/>
        <source>✓ Matches the site policy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="196"/>
        <source>⚠ This device already has a valid certificate: renew it from its details, or revoke it first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="203"/>
        <source>Load the device&apos;s certificate request</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="204"/>
        <source>Certificate requests (*.csr *.pem *.der *.req);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="211"/>
        <source>Cannot read %1 (%2): check the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="222"/>
        <source>(binary DER request loaded from %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="238"/>
        <source>Paste the device&apos;s CSR, load it from a file, or choose to generate the key here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="242"/>
        <source>Signing a certificate needs the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/issue.py" line="275"/>
        <source>&lt;b&gt;%1&lt;/b&gt; now has a certificate, valid until %2 UTC.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="67"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="67"/>
        <source>Platform CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="68"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="68"/>
        <source>Signer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="58"/>
        <source>Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="58"/>
        <source> — demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="68"/>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="84"/>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="85"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="86"/>
        <source>Pair a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="87"/>
        <source>Revocation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="88"/>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="89"/>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="160"/>
        <source>&amp;Issue certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="161"/>
        <source>Issue a device certificate from a CSR or a generated key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="163"/>
        <source>&amp;Bulk issue from CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="164"/>
        <source>Issue certificates for every row of a CSV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="165"/>
        <source>&amp;Revoke…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="167"/>
        <source>Revoke the selected devices (asks for the reason and confirmation)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="169"/>
        <source>&amp;Details…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="170"/>
        <source>Certificate, history and audit entries of the device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="172"/>
        <source>Re&amp;new…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="173"/>
        <source>Issue a new certificate; the old one stays valid 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="175"/>
        <source>&amp;Search devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="177"/>
        <source>Re&amp;fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="178"/>
        <source>Read the store again (the CLI or the service may have changed it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="182"/>
        <source>&amp;Lock the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="183"/>
        <source>Forget the CA key until the passphrase is entered again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="185"/>
        <source>&amp;Unlock the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="186"/>
        <source>Enter the CA passphrase now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="187"/>
        <source>&amp;Publish CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="188"/>
        <source>Sign a fresh CRL and write it to the publish folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="190"/>
        <source>&amp;Regenerate CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="192"/>
        <source>Set &amp;up the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="193"/>
        <source>Export expiry report as &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="195"/>
        <source>Export expiry report as &amp;PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="197"/>
        <source>Export &amp;audit log…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="198"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="202"/>
        <source>&amp;About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="203"/>
        <source>&amp;Pair a device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="204"/>
        <source>Show a QR code the monitor scans to fetch its certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="209"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="214"/>
        <source>&amp;Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="220"/>
        <source>&amp;CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="225"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="230"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="234"/>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="254"/>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="257"/>
        <source>Demo store (thrown away on exit) — CA passphrase: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="266"/>
        <source>CA locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="266"/>
        <source>CA unlocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="271"/>
        <source>The CA is locked; signing asks for the passphrase.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="328"/>
        <source>Refreshed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="383"/>
        <source>Select the devices to revoke first (scroll to load them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="389"/>
        <source>Revoke at most %1 devices at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="404"/>
        <source>Revoking signs a new CRL with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="411"/>
        <source>Revoked %1 (%2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="414"/>
        <source>CRL %1 now lists %2 certificates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="416"/>
        <source>Published to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="418"/>
        <source>Not published: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="424"/>
        <source>Some devices were not revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="438"/>
        <source>About the Z Monitor Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/main_window.py" line="439"/>
        <source>&lt;b&gt;zmconsole %1&lt;/b&gt;&lt;br&gt;Provisioning console and platform certificate authority for Z Monitor bedside monitors.&lt;br&gt;Data folder: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PagedTableModel</name>
    <message>
        <location filename="../../zmconsole/gui/models/paged.py" line="140"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PairingPage</name>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="23"/>
        <source>Failed: this pairing no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="24"/>
        <source>Press New code to start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="26"/>
        <source>Paired ✓ (serial %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="27"/>
        <source>The monitor has its certificate. Let it run its connection test, then press Done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="32"/>
        <source>The monitor proved the code: issuing its certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="35"/>
        <source>Waiting for the device… A wrong pairing code was typed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="36"/>
        <source>Attempts left before this code stops working: %1. Check the digits on this screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="38"/>
        <source>Waiting for the device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="39"/>
        <source>On the monitor: scan this QR code, check that it shows the same CA fingerprint, then type the pairing code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="45"/>
        <source>Failed: the code was typed wrong %1 times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="47"/>
        <source>This code no longer works, so nobody can keep guessing it. If that was not a typing mistake at the monitor, someone else may have tried it. Press New code, and type the digits carefully.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="51"/>
        <source>Failed: the pairing code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="52"/>
        <source>The monitor did not fetch its certificate in time. Press New code and scan again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="55"/>
        <source>Cancelled: the console locked itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="56"/>
        <source>A pairing code must not stay on an unattended screen. Press New code (the console asks for the CA passphrase) to start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="58"/>
        <source>Failed: the pairing was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="59"/>
        <source>It was cancelled here or replaced by a newer code. Press New code if the monitor still needs its certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="66"/>
        <source>Pairing pending (the code is valid until %1 UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="70"/>
        <source>Paired with a QR code on %1 UTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="71"/>
        <source>the code was typed wrong too often</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="72"/>
        <source>the code expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="73"/>
        <source>Last pairing failed on %1 UTC: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/pairing_words.py" line="74"/>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="141"/>
        <source>Pair a device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="143"/>
        <source>Scan the barcode on the monitor, or type its device ID, then press Enter. The console shows a QR code and a pairing code for the monitor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="148"/>
        <source>Device ID, e.g. ZM-001</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="152"/>
        <source>Device ID to pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="153"/>
        <source>Scan the monitor&apos;s barcode or type its ID; Enter starts the pairing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="160"/>
        <source>Who makes the device&apos;s private key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="161"/>
        <source>The &amp;monitor makes its own key (recommended: the key never leaves the device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="163"/>
        <source>The &amp;console makes the key and sends it encrypted (for monitors that cannot make keys)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="177"/>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="179"/>
        <source>Ward (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="182"/>
        <source>&amp;Device ID:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="184"/>
        <source>&amp;Ward:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="186"/>
        <source>&amp;Pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="213"/>
        <source>Pairing QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="219"/>
        <source>Pairing code — type it on the monitor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="248"/>
        <source>Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="249"/>
        <source>Provisioning URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="250"/>
        <source>CA fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="251"/>
        <source>The start of the platform CA&apos;s SHA-256 fingerprint: the monitor shows the same digits when it trusts this CA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="254"/>
        <source>&amp;Cancel pairing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="255"/>
        <source>&amp;New code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="256"/>
        <source>&amp;Save QR code…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="257"/>
        <source>P&amp;rint label (PDF)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="258"/>
        <source>Print the code &amp;on the label (whoever holds the label can pair)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="262"/>
        <source>&amp;Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="324"/>
        <source>Scan or type the device ID.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="343"/>
        <source>✗ %1 already has a valid certificate (serial %2): revoke it before pairing the device again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="347"/>
        <source>✓ Ready. A pairing is already waiting for this device (until %1 UTC); pairing again replaces it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="350"/>
        <source>✓ Ready to pair: press Enter or Pair.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="361"/>
        <source>There is no platform CA yet: set one up first (CA menu, Set up the CA…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="391"/>
        <source>Pairing signs the QR code with a key the CA certifies, and may issue the certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="398"/>
        <source>Preparing the pairing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="410"/>
        <source>Pairing QR code for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="412"/>
        <source>Pairing code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="415"/>
        <source>made by the monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="416"/>
        <source>made by the console (certificate %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="446"/>
        <source>Expires in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="471"/>
        <source>No pairing code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="472"/>
        <source>Ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="528"/>
        <source>Save the QR code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="529"/>
        <source>PNG image (*.png);;SVG image (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="534"/>
        <source>QR code saved to %1. It holds a one-time token: delete the file once the monitor is paired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="542"/>
        <source>Save the label to print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="543"/>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/pairing.py" line="553"/>
        <source>Label saved to %1: print it at 100 % on a 62 × 80 mm label.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="112"/>
        <source>The CA passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="113"/>
        <source>It encrypts the CA key and is asked once per session. It cannot be recovered: keep it in the hospital&apos;s password safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="119"/>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="119"/>
        <source>Passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="127"/>
        <source>Passphrase strength</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="134"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="135"/>
        <source>&amp;Again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="136"/>
        <source>Strength:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="145"/>
        <source>Too short: use at least %1 characters, ideally a phrase of several words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="147"/>
        <source>Weak: easy to guess. Use a phrase of several unrelated words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="148"/>
        <source>Fair: longer is better, for example four or five words.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="149"/>
        <source>Good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="150"/>
        <source>Strong.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="157"/>
        <source>✓ The two passphrases match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="158"/>
        <source>✗ The two passphrases differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="78"/>
        <source>Lost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="79"/>
        <source>Compromised</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="80"/>
        <source>Decommissioned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="81"/>
        <source>Superseded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="88"/>
        <source>The monitor cannot be found; whoever has it has its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="89"/>
        <source>The monitor or its key may be in the wrong hands or tampered with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="90"/>
        <source>The monitor is retired from service and will not connect again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RevocationPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="53"/>
        <source>CRL number:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="54"/>
        <source>This update (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="55"/>
        <source>Next update (UTC):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="56"/>
        <source>Revoked certificates listed:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="57"/>
        <source>Publish folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="58"/>
        <source>Current certificate revocation list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="62"/>
        <source>&amp;Regenerate CRL now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="63"/>
        <source>&amp;Publish CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="64"/>
        <source>Save CRL &amp;as…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="65"/>
        <source>Change publish &amp;folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="77"/>
        <location filename="../../zmconsole/gui/views/revocation.py" line="80"/>
        <source>Revoked devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="93"/>
        <source>(not set: choose one in Settings)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="99"/>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="105"/>
        <source> — overdue: publish a new CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="116"/>
        <source>Signing a new CRL needs the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="119"/>
        <source>CRL %1 signed with %2 entries.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="130"/>
        <source>Publishing signs a fresh CRL with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="134"/>
        <source>CRL %1 (%2 entries) published as %3 and %4.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="141"/>
        <source>Save the CRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="142"/>
        <source>PEM (*.pem *.crl);;DER (*.der)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/revocation.py" line="151"/>
        <source>CRL %1 saved to %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RevokeDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="41"/>
        <source>Revoke certificates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="44"/>
        <source>Revoke the certificates of these %1 devices? Each is refused at its next connection once the new CRL is published. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="47"/>
        <source>Revoke the certificate of %1? It is refused at its next connection once the new CRL is published. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="54"/>
        <source>Devices to revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="55"/>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="68"/>
        <source>&amp;Revoke %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/revoke.py" line="68"/>
        <source>%1 devices</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServiceControl</name>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="64"/>
        <source>The provisioning service signs device certificates with the CA key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="91"/>
        <source>The provisioning service cannot listen on %1 and %2 (%3). Another program is probably using one of these ports, often a `zmconsole serve` already running: stop it and press Start again, or keep using that one.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServicePanel</name>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="130"/>
        <location filename="../../zmconsole/gui/service_control.py" line="170"/>
        <source>&amp;Start the provisioning service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="152"/>
        <source>&lt;b&gt;Provisioning service: running&lt;/b&gt; — pairing at %1, CRL at %2. It runs until you stop it or close the console, also while the console is locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="157"/>
        <source>⚠ QR codes point to %1 (Settings, provisioning URL): make sure that address reaches this service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="159"/>
        <source>&amp;Stop the provisioning service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="161"/>
        <source>&lt;b&gt;Provisioning service: starting…&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="161"/>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="163"/>
        <source>&lt;b&gt;Provisioning service: stopping…&lt;/b&gt; (finishing requests in progress)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="164"/>
        <source>Stopping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/service_control.py" line="167"/>
        <source>&lt;b&gt;Provisioning service: stopped&lt;/b&gt; — devices cannot fetch certificates from this console. Start it to serve pairing on %1 and the CRL on %2 (or run `zmconsole serve` on a server).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="37"/>
        <source>Site policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="38"/>
        <source>Device ID pattern (regular expression):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="39"/>
        <source>Device DNS domain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="41"/>
        <source>Validity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="42"/>
        <source>Device certificates (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="43"/>
        <source>Server certificates (days):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="45"/>
        <source>Expiry alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="46"/>
        <source>Warn at (days left):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="47"/>
        <source>Soon at (days left):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="48"/>
        <source>Urgent at (days left):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="50"/>
        <source>Revocation and addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="51"/>
        <source>CRL distribution URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="52"/>
        <source>OCSP responder URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="53"/>
        <source>CA certificate URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="54"/>
        <source>Provisioning service URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="55"/>
        <source>CRL valid for (hours):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="56"/>
        <source>CRL publish folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="58"/>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="59"/>
        <source>Lock the CA after idle (minutes):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="73"/>
        <location filename="../../zmconsole/gui/views/settings.py" line="78"/>
        <source>Data location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="79"/>
        <source>Folder:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="82"/>
        <source>Store:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="83"/>
        <source>Chosen when the console starts, with --home DIR or the ZMCONSOLE_HOME environment variable; the command line and the provisioning service use the same folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="89"/>
        <source>CA subject (C and O every device must match):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="106"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="107"/>
        <source>Choose the CRL publish folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="122"/>
        <source>&amp;Save settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="123"/>
        <source>&amp;Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="148"/>
        <source>(no CA yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="162"/>
        <source>Settings saved at %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/settings.py" line="166"/>
        <source>Choose the folder the web server publishes CRLs from</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="27"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="28"/>
        <location filename="../../zmconsole/gui/statuses.py" line="29"/>
        <location filename="../../zmconsole/gui/statuses.py" line="30"/>
        <source>Expires within %n days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="31"/>
        <source>Expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="32"/>
        <source>Revoked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="33"/>
        <source>Superseded (renewed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="34"/>
        <source>Not yet valid (check the clock)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="36"/>
        <source>No certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="44"/>
        <location filename="../../zmconsole/gui/statuses.py" line="45"/>
        <location filename="../../zmconsole/gui/statuses.py" line="46"/>
        <source>≤ %n days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="47"/>
        <source>Superseded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/statuses.py" line="48"/>
        <source>Not yet valid</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SubjectPage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="63"/>
        <source>The CA&apos;s name, key and lifetime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="64"/>
        <source>Device certificates must carry the same country (C) and organisation (O).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="67"/>
        <source>&amp;Country (C, two letters):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="67"/>
        <source>&amp;State (ST):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="68"/>
        <source>&amp;Organisation (O):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="68"/>
        <source>Organisational &amp;unit (OU):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="69"/>
        <source>Common &amp;name (CN):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="78"/>
        <source>RSA 4096 (default; key generation takes a few seconds)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="79"/>
        <source>EC P-384 (fast; every current TLS stack accepts it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="80"/>
        <source>CA key type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="81"/>
        <source>&amp;Key type:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="86"/>
        <source>CA validity in days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="87"/>
        <source>&amp;Validity (days):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="65"/>
        <source>%1: %2 devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/views/dashboard.py" line="66"/>
        <source>%1 — click to list them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockDialog</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="38"/>
        <source>Unlock the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="41"/>
        <source>Enter the passphrase of the platform CA (%1) to sign with it. The console locks again after %2 minutes without use.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="50"/>
        <source>CA passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="54"/>
        <source>&amp;Passphrase:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="56"/>
        <source>&amp;Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="73"/>
        <source>Type the CA passphrase first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkPage</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="224"/>
        <source>Setting up the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="254"/>
        <source>Generating the %1 key and the self-signed certificate…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="263"/>
        <source>Checking and importing the CA…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="264"/>
        <source>Cannot read %1 (%2): check the path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="280"/>
        <source>The platform CA is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="282"/>
        <source>Subject: %1
Key: %2
Valid until: %3 UTC
SHA-256 fingerprint: %4

The CA certificate is in %5; back up the data folder (it holds the encrypted key) and keep the passphrase safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="291"/>
        <source>The CA was not set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/dialogs/wizard.py" line="294"/>
        <source>Go back to change it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../zmconsole/gui/dialogs/unlock.py" line="107"/>
        <source>There is no platform CA yet: set one up first (CA menu, Set up the CA…).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="67"/>
        <source>Filling the demo store with a CA and a few hundred monitors…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="68"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../zmconsole/gui/app.py" line="70"/>
        <source>Demo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
