// The ESU coverage workbook over the custom tables (../monitoring/esu-workbook.json). A shared workbook reads
// with the viewer's own rights on the workspace: it grants nothing.

@description('Display name of the workbook in the portal.')
param displayName string

@description('Azure region of the workbook.')
param location string

@description('Tags applied to the workbook.')
param tags object = {}

@description('Resource id of the Log Analytics workspace the queries run against.')
param workspaceId string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, workspaceId, 'esu-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: workspaceId
    serializedData: loadTextContent('../monitoring/esu-workbook.json')
  }
}

output id string = workbook.id
