/**
 * Excel table objects for exceljs's streaming writer, which has none of its own (its in-memory model has them, at
 * about 15 KB a row). A table is three small parts of the file, written here as the in-memory writer writes them:
 * `xl/tables/tableN.xml` (its range, columns, filter and style), a relationship from the sheet to it, and a
 * `<tableParts>` element at the end of the sheet; plus its content type. The rows stay in the sheet, written row by
 * row. This reaches into the writer's parts (`zip`, `_sheetRelsWriter`, `_writeCloseWorksheet`) of exceljs 4.4.0,
 * the version installed (a later one may move them): test/cli/workbook.test.ts reads the tables back from the raw
 * XML and with exceljs, so an upgrade that breaks this fails there.
 */
import type ExcelJS from 'exceljs';
import { escapeHtml as xmlText } from './htmlText.js';

const TABLE_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table';
const TABLE_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';

interface WriterInternals {
  readonly zip: { append(source: unknown, options: { name: string }): unknown };
}
interface SheetInternals {
  readonly _sheetRelsWriter: { addRelationship(relationship: { Type: string; Target: string }): string };
  _writeCloseWorksheet(): void;
  _write(text: string): void;
}

/** Adds table parts to a streaming workbook; `add` is called once per sheet, after its rows and before its commit. */
export class StreamedTables {
  private count = 0;

  constructor(private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter) {
    const zip = (workbook as unknown as WriterInternals).zip;
    const append = zip.append.bind(zip);
    // The writer lists its parts' content types when it commits; the tables' are added to that list.
    zip.append = (source: unknown, options: { name: string }): unknown => {
      if (options.name === '[Content_Types].xml' && typeof source === 'string') {
        const tables = Array.from({ length: this.count }, (_, index) => `<Override PartName="/xl/tables/table${index + 1}.xml" ContentType="${TABLE_CONTENT_TYPE}"/>`).join('');
        return append(source.replace('</Types>', `${tables}</Types>`), options);
      }
      return append(source, options);
    };
  }

  /** Makes `ref` (header row included, e.g. `A1:L30`) of the sheet a table named `name`, with these column headers. */
  add(sheet: ExcelJS.Worksheet, name: string, ref: string, headers: readonly string[], style = 'TableStyleMedium2'): void {
    this.count += 1;
    const id = this.count;
    const columns = headers.map((header, index) => `<tableColumn id="${index + 1}" name="${xmlText(header)}"/>`).join('');
    const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      + `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="${id}" name="${xmlText(name)}" displayName="${xmlText(name)}" ref="${ref}" headerRowCount="1" totalsRowShown="0">`
      + `<autoFilter ref="${ref}"/><tableColumns count="${headers.length}">${columns}</tableColumns>`
      + `<tableStyleInfo name="${style}" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`;
    (this.workbook as unknown as WriterInternals).zip.append(xml, { name: `xl/tables/table${id}.xml` });
    const internals = sheet as unknown as SheetInternals;
    const relationship = internals._sheetRelsWriter.addRelationship({ Type: TABLE_RELATIONSHIP, Target: `../tables/table${id}.xml` });
    const close = internals._writeCloseWorksheet.bind(internals);
    internals._writeCloseWorksheet = (): void => {
      internals._write(`<tableParts count="1"><tablePart r:id="${relationship}"/></tableParts>`);
      close();
    };
  }
}
