// EpubcheckBatch validates several EPUB files in one Java VM, writing
// epubcheck's JSON report for FILE to FILE.json. The epub tests run it with
// Java's source launcher (java -cp epubcheck.jar EpubcheckBatch.java …):
// starting a VM and loading epubcheck's schemas costs about ten seconds of
// CPU, validating a book one to three, so one VM for all the books saves
// most of the time of one `java -jar epubcheck.jar` per book.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.reporting.CheckingReport;
import java.io.File;

public class EpubcheckBatch {
    public static void main(String[] args) throws Exception {
        for (String f : args) {
            CheckingReport report = new CheckingReport(f, f + ".json");
            report.initialize();
            new EpubCheck(new File(f), report).doValidate();
            report.generate();
        }
    }
}
